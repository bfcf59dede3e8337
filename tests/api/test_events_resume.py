"""Resuming by event id: a client cut off in the middle of a burst comes back with its last id and has every event
exactly once, over SSE (Last-Event-ID) and the WebSocket (last_event_id in its first message)."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from domain.desk import Desk
from storage.stream import StreamRepository
from tests.api.conftest import SignIn
from tests.api.events_client import SocketReader, SseReader, eventually, http, served
from tests.factories import make_request, make_user

__all__ = ['http', 'served']  # fixtures
BURST = 60


async def _burst(desk: Desk, writers: int = 3) -> None:
    """BURST events from several concurrent writers: requests and responses on them."""
    author = await make_user(desk)
    responders = [await make_user(desk) for _ in range(writers)]

    async def write(responder_index: int) -> None:
        for _ in range(BURST // writers // 2):
            request_id = await make_request(desk, author)
            await desk.conversations.post(actor_id=responders[responder_index].id, request_id=request_id, text='hi')
    await asyncio.gather(*(write(index) for index in range(writers)))


async def _logged_after(desk: Desk, after: int) -> list[int]:
    async with desk.requests.uow() as uow:
        return [row.id for row in await StreamRepository(uow.connection).after(after, limit=10_000)]


@pytest.mark.parametrize('transport', ['sse', 'ws'])
async def test_a_client_cut_off_mid_burst_resumes_with_every_event_once(
        transport: str, api_desk: Desk, signed_in: SignIn, served: str, http: aiohttp.ClientSession) -> None:
    _admin, headers = await signed_in('admin')
    start = await api_desk.stream.last_id()
    url = f'{served}/api/v1/events' + ('' if transport == 'sse' else '/ws')
    first = await (SseReader.open(http, url, headers=headers) if transport == 'sse' else
                   SocketReader.open(http, url, headers=headers))
    burst = asyncio.create_task(_burst(api_desk))
    await eventually(lambda: len(first.events) >= 10)
    await first.close()  # cut off while the burst goes on
    received = list(first.events)
    last = received[-1]['id']
    if transport == 'sse':
        second: SseReader | SocketReader = await SseReader.open(http, url, headers={**headers,
                                                                                    'Last-Event-ID': str(last)})
    else:
        second = await SocketReader.open(http, url, first={'access_token': headers['Authorization'][7:],
                                                           'last_event_id': last})
    await burst
    expected = await _logged_after(api_desk, start)
    assert len(expected) == BURST
    await eventually(lambda: len(received) + len(second.events) >= len(expected))
    await asyncio.sleep(0.2)  # nothing more, nothing twice
    ids = [event['id'] for event in received + second.events]
    assert ids == expected
    await second.close()


async def test_without_a_last_id_a_stream_starts_now_and_a_reader_who_left_is_let_go(
        api_desk: Desk, signed_in: SignIn, served: str, http: aiohttp.ClientSession) -> None:
    author, headers = await signed_in('customer')
    before = await make_request(api_desk, author)
    stream = await SseReader.open(http, f'{served}/api/v1/events', headers=headers)
    after = await make_request(api_desk, author)
    await eventually(lambda: bool(stream.events))
    assert [event['ticket_id'] for event in stream.events] == [after] and before != after
    assert len(api_desk.stream._open) == 1
    await stream.close()
    await eventually(lambda: not api_desk.stream._open)  # the server noticed the client leave: nothing leaks
    assert api_desk.stream.tail._task is None


async def test_a_quiet_stream_gets_a_keep_alive_comment(
        api_desk: Desk, signed_in: SignIn, served: str, http: aiohttp.ClientSession,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from domain.stream import subscription
    monkeypatch.setattr(subscription, 'IDLE', 0.2)  # 15 s in earnest
    _user, headers = await signed_in('customer')
    stream = await SseReader.open(http, f'{served}/api/v1/events', headers=headers)
    await eventually(lambda: stream.comments >= 2)
    assert stream.events == [] and not stream.ended
    await stream.close()
