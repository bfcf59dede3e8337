"""Schemas for outgoing webhooks: endpoints and their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, StrictBool

from domain.webhooks.guard import URL_MAX
from domain.webhooks.payload import WEBHOOK_EVENTS
from domain.webhooks.service import SECRET_MAX, SECRET_MIN, DeliveryRow, EndpointDraft, EndpointRow

from .schemas import Input

EVENTS = ', '.join(WEBHOOK_EVENTS)
EXAMPLE_IN = {'url': 'https://hooks.example.com/switchboard', 'events': ['ticket.created', 'status.changed'],
              'secret': 'whsec_4f9c2b7e1d8a6c3f5e0b9a7d', 'enabled': True}
# Text is checked by the domain, so the API answers with the page's messages; these bounds only stop floods.
Url = Field(max_length=2 * URL_MAX, description='http(s) URL of a public host (private ones only when the server '
                                                'allows them: WEBHOOKS_ALLOW_PRIVATE)')
WebhookEvent = Literal['ticket.created', 'message.posted', 'note.added', 'status.changed', 'ticket.assigned']
Events = Field(max_length=20, description=f'At least one of: {EVENTS}')
Secret = Field('', max_length=4 * SECRET_MAX,
               description=f'{SECRET_MIN}-{SECRET_MAX} printable ASCII characters, no spaces; empty or left out: '
                                           'one is made')


class WebhookIn(Input):
    """A new endpoint."""

    model_config = {'json_schema_extra': {'examples': [EXAMPLE_IN]}}
    url: str = Url
    events: list[WebhookEvent] = Events
    secret: str = Secret
    enabled: StrictBool = True

    def draft(self) -> EndpointDraft:
        return EndpointDraft(self.url, list(self.events), self.secret, self.enabled)


class WebhookPatch(Input):
    """The parts to change; the others stay as they are. Switching an endpoint on starts its failure count afresh."""

    model_config = {'json_schema_extra': {'examples': [{'enabled': True}, {'events': ['note.added']}]}}
    url: str = Field(None, max_length=2 * URL_MAX)  # type: ignore[assignment]  # left out: unchanged
    events: list[WebhookEvent] = Field(None, max_length=20)  # type: ignore[assignment]
    secret: str = Field(None, max_length=4 * SECRET_MAX)  # type: ignore[assignment]
    enabled: StrictBool = None  # type: ignore[assignment]

    def changes(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in self.model_fields_set}


class WebhookOut(BaseModel):
    model_config = {'json_schema_extra': {'examples': [{
        'id': 3, **EXAMPLE_IN, 'failures': 0, 'disabled_reason': None, 'created_at': '2026-01-05T09:30:00Z',
        'updated_at': '2026-01-05T09:30:00Z'}]}}
    id: int
    url: str
    events: list[str]
    secret: str = Field(description='Signs every delivery: see the verification recipe above')
    enabled: bool
    failures: int = Field(description='Deliveries that finally failed in a row; at the limit the endpoint is '
                                      'switched off')
    disabled_reason: str | None = Field(description='Why the server switched it off; null otherwise')
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: EndpointRow) -> WebhookOut:
        return cls(id=row.id, url=row.url, events=row.events, secret=row.secret, enabled=row.enabled,
                   failures=row.failures, disabled_reason=row.disabled_reason, created_at=row.created_at,
                   updated_at=row.updated_at)


class DeliveryOut(BaseModel):
    model_config = {'json_schema_extra': {'examples': [{
        'id': 42, 'delivery_id': '5b0c7c1e-3f0e-4a52-9a57-2d6f4b1f9e10', 'event_id': 4821, 'kind': 'ticket.created',
        'status': 'delivered', 'attempts': 1, 'response_code': 200, 'response_ms': 87, 'error': None,
        'created_at': '2026-01-05T09:30:00Z', 'attempted_at': '2026-01-05T09:30:01Z',
        'payload': {'id': '5b0c7c1e-3f0e-4a52-9a57-2d6f4b1f9e10', 'event_id': 4821, 'kind': 'ticket.created',
                    'created_at': '2026-01-05T09:30:00+00:00',
                    'ticket': {'id': 7, 'queue_id': 2, 'title': 'Printer on fire', 'status': 'Open'},
                    'actor': {'id': 5, 'username': 'ann', 'display_name': 'Ann', 'role': 'customer'},
                    'channel': 'web', 'data': {'status': 'Open'}}}]}}
    id: int = Field(description='For the log and for resending')
    delivery_id: str = Field(description='The X-Switchboard-Delivery header: the same on every attempt and resend')
    event_id: int
    kind: str
    status: str = Field(description='pending, retrying, delivered or failed')
    attempts: int
    response_code: int | None = Field(description="The latest attempt's HTTP status; null: no answer")
    response_ms: int | None = Field(description="The latest attempt's time to answer")
    error: str | None = Field(description='Why the latest attempt failed')
    created_at: datetime
    attempted_at: datetime | None
    payload: dict[str, Any] = Field(description='The JSON body POSTed')

    @classmethod
    def of(cls, row: DeliveryRow) -> DeliveryOut:
        return cls(id=row.id, delivery_id=row.uid, event_id=row.event_id, kind=row.kind, status=row.status,
                   attempts=row.attempts, response_code=row.response_code, response_ms=row.response_ms,
                   error=row.error, created_at=row.created_at, attempted_at=row.attempted_at, payload=row.payload)
