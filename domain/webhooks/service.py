"""Admin → Webhooks: admins register, change and delete endpoints, read their delivery logs and resend deliveries.

Each process remembers which event kinds have an enabled endpoint, so an event nobody listens to costs no job.
Every change of an endpoint (here, or the app switching one off) publishes `WebhooksChanged`, which reaches every
instance (LISTEN/NOTIFY); `forget` drops the memory there, and the next event reads it again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from domain import access
from domain.errors import Conflict, InvalidInput, NotFound
from domain.events import WebhooksChanged
from domain.slices import Slice, bounded, sliced
from domain.webhooks.guard import checked_target
from domain.webhooks.payload import PUBLIC_KINDS, WEBHOOK_EVENTS
from storage.events import NewEvent
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from storage.webhooks import DeliveryRow, EndpointRow

__all__ = ['DELIVER_JOB', 'DeliveryRow', 'EndpointDraft', 'EndpointRow', 'WebhookService']

ADMINS_ONLY = 'Only admins manage webhooks.'
DELIVER_JOB = 'webhook.deliver'
ATTEMPTS = 8  # a delivery's job's; with the worker's backoff (2 s doubling, capped): about 8 minutes of retries
SECRET_MIN, SECRET_MAX = 16, 128
UNCHANGED: Any = object()


@dataclass(frozen=True)
class EndpointDraft:
    url: str
    events: list[str]
    secret: str = ''  # empty: a new random one
    enabled: bool = True


class WebhookService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow
        self.allow_private = False  # WEBHOOKS_ALLOW_PRIVATE, set by the wiring (channels/webhooks.py)
        self.disable_after = 10  # WEBHOOKS_DISABLE_AFTER: deliveries that finally failed in a row
        self._kinds: set[str] | None = None  # event-log kinds with an enabled endpoint
        self._generation = 0  # bumped on every forget: a read begun before one must not be kept

    def configure(self, *, allow_private: bool, disable_after: int) -> None:
        self.allow_private, self.disable_after = allow_private, disable_after

    async def endpoints(self, *, actor_id: int | None) -> list[EndpointRow]:
        async with self.uow() as uow:
            await access.require_admin(uow, actor_id, ADMINS_ONLY)
            return await uow.webhooks.endpoints()

    async def endpoint(self, *, actor_id: int | None, endpoint_id: int) -> EndpointRow:
        async with self.uow() as uow:
            await access.require_admin(uow, actor_id, ADMINS_ONLY)
            return await _endpoint(uow, endpoint_id)

    async def create(self, *, actor_id: int | None, draft: EndpointDraft) -> EndpointRow:
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            events, secret = _events(draft.events), _secret(draft.secret)  # before the URL's look-up: cheap first
            url = await checked_target(draft.url, allow_private=self.allow_private)
            endpoint = await uow.webhooks.add(url=url, events=events, secret=secret, enabled=draft.enabled)
            self._saved(uow, actor.id, 'webhook.created', endpoint)
            await uow.commit()
        return endpoint

    async def change(self, *, actor_id: int | None, endpoint_id: int, url: Any = UNCHANGED,
                     events: Any = UNCHANGED, secret: Any = UNCHANGED, enabled: Any = UNCHANGED) -> EndpointRow:
        """Change the parts given and keep the rest; switching an endpoint on starts its failure count afresh."""
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            before = await _endpoint(uow, endpoint_id)
            values: dict[str, Any] = {}
            if events is not UNCHANGED:
                values['events'] = _events(events)
            if secret is not UNCHANGED:
                values['secret'] = _secret(secret)
            if url is not UNCHANGED:
                values['url'] = await checked_target(url, allow_private=self.allow_private)
            if enabled is not UNCHANGED:
                values['enabled'] = bool(enabled)
                if enabled and not before.enabled:
                    values |= {'failures': 0, 'disabled_reason': None}
            after = await uow.webhooks.update(endpoint_id, **values) if values else before
            assert after is not None
            self._saved(uow, actor.id, 'webhook.updated', after, changed=sorted(values))
            await uow.commit()
        return after

    async def delete(self, *, actor_id: int | None, endpoint_id: int) -> None:
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            endpoint = await _endpoint(uow, endpoint_id)
            await uow.webhooks.delete(endpoint_id)
            self._saved(uow, actor.id, 'webhook.deleted', endpoint)
            await uow.commit()

    async def deliveries(self, *, actor_id: int | None, endpoint_id: int, before_id: int | None = None,
                         limit: int = 50) -> Slice[DeliveryRow]:
        """An endpoint's delivery log, newest first; `before_id` continues after the previous page's last row."""
        limit = bounded(limit)
        async with self.uow() as uow:
            await access.require_admin(uow, actor_id, ADMINS_ONLY)
            await _endpoint(uow, endpoint_id)
            return sliced(await uow.webhooks.deliveries(endpoint_id, before_id=before_id, limit=limit + 1), limit)

    async def resend(self, *, actor_id: int | None, endpoint_id: int, delivery_id: int) -> DeliveryRow:
        """Queue a delivery once more, with the same delivery id, so the receiver can tell it is the same event."""
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            endpoint = await _endpoint(uow, endpoint_id)
            delivery = await uow.webhooks.delivery(delivery_id)
            if delivery is None or delivery.endpoint_id != endpoint_id:
                raise NotFound('This delivery does not exist.')
            if not endpoint.enabled:
                raise Conflict('Switch the endpoint on first: a disabled endpoint gets nothing.', field='enabled')
            # A job whose worker died on its last attempt ends failed without a word to the delivery: its status
            # still says "retrying", but nothing is queued any more, so it may be resent.
            if delivery.status in ('pending', 'retrying') and await uow.webhooks.queued(delivery):
                raise Conflict('This delivery is already queued.')
            resends = await uow.webhooks.resend(delivery_id)
            await uow.jobs.add(DELIVER_JOB, {'delivery_id': delivery_id}, max_attempts=ATTEMPTS,
                               dedup_key=f'webhook:{delivery_id}:r{resends}')  # the key storage's queued() reads
            uow.events.add('webhook.resent', actor_id=actor.id, endpoint_id=endpoint_id, delivery_id=delivery.uid)
            await uow.commit()
            found = await uow.webhooks.delivery(delivery_id)
        assert found is not None
        return found

    async def wanted(self, uow: UnitOfWork, event: NewEvent) -> bool:
        """The gate of the fan-out job: does any enabled endpoint want this event? Read once per process."""
        kinds = self._kinds
        if kinds is None:
            generation = self._generation
            public = await uow.webhooks.enabled_kinds()
            kinds = {kind for kind, name in PUBLIC_KINDS.items() if name in public}
            if generation == self._generation:
                self._kinds = kinds
        return event.kind in kinds

    def forget(self, _event: object = None) -> None:
        """Endpoints changed here or on another instance (or events may have been missed): read them again."""
        self._generation += 1
        self._kinds = None

    def _saved(self, uow: UnitOfWork, actor_id: int | None, kind: str, endpoint: EndpointRow,
               **data: Any) -> None:
        """The audit record (never the secret) and every instance's cue to forget what listens."""
        uow.events.add(kind, actor_id=actor_id, endpoint_id=endpoint.id, url=endpoint.url, events=endpoint.events,
                       enabled=endpoint.enabled, **data)
        uow.emit(WebhooksChanged())


def _events(events: Any) -> list[str]:
    chosen = list(dict.fromkeys(events or []))
    if not chosen:
        raise InvalidInput('Choose at least one event.', field='events')
    for kind in chosen:
        if kind not in WEBHOOK_EVENTS:
            raise InvalidInput('There is no event "{kind}".', field='events', kind=str(kind))
    return [kind for kind in WEBHOOK_EVENTS if kind in chosen]


def _secret(secret: str | None) -> str:
    secret = (secret or '').strip()
    if not secret:
        return 'whsec_' + secrets.token_urlsafe(24)
    # Printable ASCII only: receivers in any language read the same key bytes, and no database chokes on a NUL.
    if not SECRET_MIN <= len(secret) <= SECRET_MAX or any(not '!' <= char <= '~' for char in secret):
        raise InvalidInput('The secret needs {min} to {max} letters, digits or punctuation marks, without spaces.',
                           field='secret', min=SECRET_MIN, max=SECRET_MAX)
    return secret


async def _endpoint(uow: UnitOfWork, endpoint_id: int) -> EndpointRow:
    endpoint = await uow.webhooks.endpoint(endpoint_id)
    if endpoint is None:
        raise NotFound('This webhook endpoint does not exist.')
    return endpoint
