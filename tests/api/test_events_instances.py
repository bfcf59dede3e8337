"""Several app instances on one PostgreSQL: a change made through instance A reaches a stream served by instance B,
woken through the LISTEN/NOTIFY bridge (not by the tail's slow poll, turned off here)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from domain.desk import Desk
from domain.stream import tail
from storage.database import Database
from tests.api.conftest import SignIn
from tests.api.events_client import SseReader, eventually, http, served
from tests.factories import make_request, make_user

__all__ = ['http', 'served']  # fixtures


@pytest.fixture
async def instance_a(api_desk: Desk) -> AsyncIterator[Desk]:
    """Another instance on the served app's PostgreSQL database, announcing its changes as main.py's does."""
    if api_desk.database.is_sqlite:
        pytest.skip('several instances need PostgreSQL')
    assert api_desk.listener is not None
    await asyncio.wait_for(api_desk.listener.connected.wait(), 5)
    database = Database(api_desk.database.url)
    database.start()
    await database.ready()
    other = Desk.build(database, secret_key='another secret', bcrypt_rounds=4, shared_events=True)
    yield other
    await other.stop()


async def test_a_change_on_instance_a_reaches_a_stream_on_instance_b(
        instance_a: Desk, served: str, http: aiohttp.ClientSession, signed_in: SignIn,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tail, 'POLL', 600.0)  # only the bridge can wake B's tail in time
    _agent, headers = await signed_in('agent')
    stream = await SseReader.open(http, f'{served}/api/v1/events', headers=headers)
    author, responder = await make_user(instance_a), await make_user(instance_a)
    request_id = await make_request(instance_a, author)
    await instance_a.conversations.post(actor_id=responder.id, request_id=request_id, text='written on A')
    await eventually(lambda: len(stream.events) >= 2)
    assert stream.kinds() == ['ticket.created', 'message.posted']
    assert stream.events[1]['data']['text'] == 'written on A'
    assert stream.events[1]['actor']['username'] == responder.username
    await stream.close()
