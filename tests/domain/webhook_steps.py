"""What the webhook tests do often: a desk that delivers on the test's clock, a receiver, an endpoint, events."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator
from typing import Any

import pytest

from channels.webhooks import WebhookPoster
from domain.desk import Desk
from domain.jobs.worker import Worker
from domain.webhooks.delivery import Deliveries, install
from domain.webhooks.service import EndpointDraft, EndpointRow
from domain.webhooks.signing import VERIFIER
from storage.rows import UserRow
from storage.webhooks import DeliveryRow
from tests.channels.notify_steps import Clock, next_status
from tests.factories import make_request, make_user

SECRET = 'whsec_test_secret_0123456789'
EVERYTHING = ['ticket.created', 'message.posted', 'note.added', 'status.changed', 'ticket.assigned']


@pytest.fixture
def webhook_clock() -> Clock:
    return Clock()


@pytest.fixture
async def delivering(desk: Desk, webhook_clock: Clock) -> AsyncIterator[Deliveries]:
    """The desk delivering webhooks for real over HTTP, private targets allowed (the receiver is on 127.0.0.1),
    switched off after 3 failures; its worker on `clock`, run by the test."""
    desk.worker = Worker(desk.worker.uow, clock=webhook_clock.now)
    poster = WebhookPoster()
    deliveries = install(desk, poster, allow_private=True, disable_after=3)
    yield deliveries
    await poster.close()


async def endpoint(desk: Desk, admin: UserRow, url: str, events: list[str] | None = None) -> EndpointRow:
    return await desk.webhooks.create(actor_id=admin.id, draft=EndpointDraft(url, events or EVERYTHING, SECRET))


async def some_events(desk: Desk) -> int:
    """A request filed, answered and moved on: three public events; returns the request's id."""
    author, responder = await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author, title='Printer on fire')
    await desk.conversations.post(actor_id=responder.id, request_id=request_id, text='Have you tried water?')
    await next_status(desk, author, request_id)
    return request_id


async def run_for(desk: Desk, clock: Clock, seconds: float) -> None:
    """Let `seconds` pass on the worker's clock, running what falls due on the way."""
    await desk.worker.drain()
    step = 30.0
    passed = 0.0
    while passed < seconds:
        clock.advance(step)
        passed += step
        await desk.worker.drain()


async def log(desk: Desk, admin: UserRow, endpoint_id: int) -> list[DeliveryRow]:
    return (await desk.webhooks.deliveries(actor_id=admin.id, endpoint_id=endpoint_id, limit=100)).rows


def verifier(now: float | None = None) -> Any:
    """The documented recipe's `verify`, exactly as the page shows it, optionally on a clock stopped at `now`."""
    namespace: dict[str, Any] = {}
    exec(VERIFIER, namespace)  # our own text, the one receivers copy
    if now is not None:
        namespace['time'] = type('StoppedTime', (), {'time': staticmethod(lambda: now)})
    return namespace['verify']


def signed_at(secret: str, body: bytes, header: str) -> int:
    """The timestamp of a signature header, after checking the HMAC by hand."""
    parts = dict(item.split('=', 1) for item in header.split(','))
    expected = hmac.new(secret.encode(), parts['t'].encode() + b'.' + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(expected, parts['v1'])
    return int(parts['t'])
