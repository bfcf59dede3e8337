"""Outgoing webhooks: the endpoints admins register and each event's delivery to each of them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from .model_automation import Job
from .model_webhooks import WebhookDelivery, WebhookEndpoint
from .models import Event, User, utcnow


@dataclass(frozen=True)
class EndpointRow:
    id: int
    url: str
    events: list[str]
    secret: str
    enabled: bool
    failures: int
    disabled_reason: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    uid: str
    endpoint_id: int
    event_id: int
    kind: str
    payload: dict[str, Any]
    status: str
    attempts: int
    resends: int
    response_code: int | None
    response_ms: int | None
    error: str | None
    created_at: datetime
    attempted_at: datetime | None


_ENDPOINT = tuple(WebhookEndpoint.__table__.c[field] for field in EndpointRow.__dataclass_fields__)
_DELIVERY = tuple(WebhookDelivery.__table__.c[field] for field in DeliveryRow.__dataclass_fields__)


class WebhookRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def endpoints(self) -> list[EndpointRow]:
        return [EndpointRow(*row) for row in await self.connection.execute(select(*_ENDPOINT)
                                                                            .order_by(WebhookEndpoint.id))]

    async def endpoint(self, endpoint_id: int) -> EndpointRow | None:
        row = (await self.connection.execute(select(*_ENDPOINT).where(WebhookEndpoint.id == endpoint_id))).first()
        return EndpointRow(*row) if row else None

    async def enabled_kinds(self) -> set[str]:
        """The public kinds at least one enabled endpoint wants (the gate's question)."""
        rows = await self.connection.scalars(select(WebhookEndpoint.events).where(WebhookEndpoint.enabled))
        return {kind for events in rows for kind in events}

    async def listening(self, kind: str) -> list[EndpointRow]:
        """Enabled endpoints that want `kind` (JSON lists are filtered here: few endpoints, both databases)."""
        rows = await self.connection.execute(select(*_ENDPOINT).where(WebhookEndpoint.enabled)
                                             .order_by(WebhookEndpoint.id))
        return [endpoint for endpoint in (EndpointRow(*row) for row in rows) if kind in endpoint.events]

    async def add(self, *, url: str, events: list[str], secret: str, enabled: bool) -> EndpointRow:
        now = utcnow()
        endpoint_id = await self.connection.scalar(insert(WebhookEndpoint).values(
            url=url, events=events, secret=secret, enabled=enabled, failures=0, created_at=now, updated_at=now)
            .returning(WebhookEndpoint.id))
        endpoint = await self.endpoint(endpoint_id)
        assert endpoint is not None
        return endpoint

    async def update(self, endpoint_id: int, **values: Any) -> EndpointRow | None:
        await self.connection.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
                                      .values(**values, updated_at=utcnow()))
        return await self.endpoint(endpoint_id)

    async def delete(self, endpoint_id: int) -> None:
        await self.connection.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id))
        await self.connection.execute(delete(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id))

    async def succeeded(self, endpoint_id: int) -> None:
        await self.connection.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id,
                                                                    WebhookEndpoint.failures != 0)
                                      .values(failures=0))

    async def failed(self, endpoint_id: int) -> int:
        """Count one more delivery that finally failed; returns how many failed in a row (0: endpoint gone)."""
        count = await self.connection.scalar(
            update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
            .values(failures=WebhookEndpoint.failures + 1).returning(WebhookEndpoint.failures))
        return count or 0

    async def disable(self, endpoint_id: int, *, reason: str) -> bool:
        """Switch an enabled endpoint off; False when it already was (another worker got there first)."""
        result = await self.connection.execute(
            update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.enabled)
            .values(enabled=False, disabled_reason=reason, updated_at=utcnow()))
        return bool(result.rowcount)

    async def add_deliveries(self, rows: Sequence[tuple[int, int, str, dict[str, Any]]]) -> list[DeliveryRow]:
        """(endpoint id, event id, kind, payload) each; a pair delivered before is skipped. Returns the new ones."""
        if not rows:
            return []
        now = utcnow()
        values = [{'uid': payload['id'], 'endpoint_id': endpoint_id, 'event_id': event_id, 'kind': kind,
                   'payload': payload, 'status': 'pending', 'attempts': 0, 'resends': 0, 'created_at': now}
                  for endpoint_id, event_id, kind, payload in rows]
        insert_ = pg_insert if self.connection.dialect.name == 'postgresql' else sqlite_insert
        await self.connection.execute(insert_(WebhookDelivery)
                                      .on_conflict_do_nothing(index_elements=['endpoint_id', 'event_id']), values)
        found = await self.connection.execute(select(*_DELIVERY).where(
            WebhookDelivery.uid.in_([value['uid'] for value in values])))
        return [DeliveryRow(*row) for row in found]

    async def delivery(self, delivery_id: int) -> DeliveryRow | None:
        row = (await self.connection.execute(select(*_DELIVERY).where(WebhookDelivery.id == delivery_id))).first()
        return DeliveryRow(*row) if row else None

    async def deliveries(self, endpoint_id: int, *, before_id: int | None, limit: int) -> list[DeliveryRow]:
        """Newest first; `before_id` continues after the last row of the previous page."""
        query = select(*_DELIVERY).where(WebhookDelivery.endpoint_id == endpoint_id) \
            .order_by(WebhookDelivery.id.desc()).limit(limit)
        if before_id is not None:
            query = query.where(WebhookDelivery.id < before_id)
        return [DeliveryRow(*row) for row in await self.connection.execute(query)]

    async def attempted(self, delivery_id: int, *, status: str, response_code: int | None, response_ms: int | None,
                        error: str | None) -> None:
        await self.connection.execute(
            update(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
            .values(status=status, attempts=WebhookDelivery.attempts + 1, response_code=response_code,
                    response_ms=response_ms, error=error[:2000] if error else None, attempted_at=utcnow()))

    async def settle(self, delivery_id: int, *, status: str, error: str) -> None:
        """End a delivery without an attempt (its endpoint was switched off meanwhile)."""
        await self.connection.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
                                      .values(status=status, error=error))

    async def queued(self, delivery: DeliveryRow) -> bool:
        """Whether the delivery's latest job is still to run (pending, or running under a lease)."""
        key = f'webhook:{delivery.id}' + (f':r{delivery.resends}' if delivery.resends else '')
        status = await self.connection.scalar(select(Job.status).where(Job.dedup_key == key))
        return status in ('pending', 'running')

    async def resend(self, delivery_id: int) -> int:
        """Mark a delivery queued again; returns its number of resends (for the new job's dedup key)."""
        count = await self.connection.scalar(
            update(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
            .values(status='pending', resends=WebhookDelivery.resends + 1).returning(WebhookDelivery.resends))
        return count or 0

    async def event_time(self, event_id: int) -> datetime | None:
        return await self.connection.scalar(select(Event.created_at).where(Event.id == event_id))

    async def admin_emails(self) -> list[tuple[str, str | None]]:
        """(address, language) of every active admin with an email address."""
        rows = await self.connection.execute(select(User.email, User.locale).where(
            User.role == 'admin', User.is_active, User.email.is_not(None), User.email != ''))
        return [(email, locale) for email, locale in rows]


def new_uid() -> str:
    return str(uuid.uuid4())
