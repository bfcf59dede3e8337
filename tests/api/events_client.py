"""Real HTTP for the event stream tests: the test's app served by uvicorn on 127.0.0.1, SSE and WebSocket readers.

httpx over ASGI hands a response over only once it is complete, and an event stream never is; so these tests talk
to a real server (the same app and desk as the `api` fixture, in the test's event loop) through aiohttp.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
import uvicorn
from nicegui import core

from api.schemas_events import EventOut
from domain.desk import Desk
from tests.ports import free_port

WITHIN = 10.0  # seconds to wait for what should arrive


@pytest.fixture
async def served(api_desk: Desk) -> AsyncIterator[str]:
    """The running app on a free port of 127.0.0.1; its base URL. Streams still open at the end are ended first."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(core.app, host='127.0.0.1', port=port, log_level='warning',
                                           lifespan='off', timeout_graceful_shutdown=2))
    running = asyncio.create_task(server.serve())
    for _ in range(500):  # uvicorn's `started` is a flag, not an event
        if server.started or running.done():
            break
        await asyncio.sleep(0.01)
    assert server.started
    yield f'http://127.0.0.1:{port}'
    await api_desk.stream.stop()
    server.should_exit = True
    await running


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, sock_read=None)) as session:
        yield session


async def eventually(check: Callable[[], bool], within: float = WITHIN) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not check():
        assert asyncio.get_running_loop().time() < deadline, 'not within time'
        await asyncio.sleep(0.02)


class SseReader:
    """An open SSE response, parsed in the background: `events` (data as JSON), `errors`, comments seen."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response
        self.events: list[dict[str, Any]] = []
        self.ids: list[str] = []
        self.errors: list[dict[str, Any]] = []
        self.comments = 0
        self.ended = False
        self._task = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, http: aiohttp.ClientSession, url: str, **kwargs: Any) -> SseReader:
        response = await http.get(url, **kwargs)
        assert response.status == 200, await response.text()
        assert response.headers['content-type'].startswith('text/event-stream')
        return cls(response)

    async def _read(self) -> None:
        fields: dict[str, str] = {}
        try:
            async for raw in self.response.content:
                line = raw.decode().rstrip('\r\n')
                if line.startswith(':'):
                    self.comments += 1
                elif line:
                    name, _, value = line.partition(':')
                    fields[name] = fields.get(name, '') + value.removeprefix(' ')
                elif fields:
                    self._dispatch(fields)
                    fields = {}
        except (aiohttp.ClientError, asyncio.CancelledError):
            pass
        finally:
            self.ended = True

    def _dispatch(self, fields: dict[str, str]) -> None:
        data = json.loads(fields['data'])
        if fields.get('event') == 'error':
            self.errors.append(data)
        else:
            EventOut.model_validate(data)  # the documented shape, every time
            self.events.append(data)
            self.ids.append(fields['id'])

    def kinds(self) -> list[str]:
        return [event['kind'] for event in self.events]

    async def close(self) -> None:
        self.response.close()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


class SocketReader:
    """An open WebSocket of the stream, read in the background: `events`, `errors`, and how it closed."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.events: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        self.close_code: int | None = None
        self.close_reason = ''
        self.ended = False
        self._task = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, http: aiohttp.ClientSession, url: str, *, first: dict[str, Any] | None = None,
                   **kwargs: Any) -> SocketReader:
        socket = await http.ws_connect(url.replace('http://', 'ws://'), **kwargs)
        if first is not None:
            await socket.send_json(first)
        return cls(socket)

    async def _read(self) -> None:
        try:
            while True:
                message = await self.socket.receive()
                if message.type == aiohttp.WSMsgType.TEXT:
                    data = json.loads(message.data)
                    if 'error' not in data:
                        EventOut.model_validate(data)  # the documented shape, every time
                    (self.errors if 'error' in data else self.events).append(data)
                elif message.type == aiohttp.WSMsgType.CLOSE:
                    self.close_code, self.close_reason = message.data, message.extra or ''
                elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.ERROR):
                    break
        finally:
            if self.close_code is None:
                self.close_code = self.socket.close_code
            self.ended = True

    def kinds(self) -> list[str]:
        return [event['kind'] for event in self.events]

    async def close(self) -> None:
        await self.socket.close()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


async def support_ticket(desk: Desk, customer_id: int, text: str) -> int:
    """The id of the support ticket the customer's message went to (opened by it, if none was open)."""
    from sqlalchemy import select

    from storage.models import Message
    message = await desk.support.write(actor_id=customer_id, text=text)
    async with desk.database.connect() as connection:
        return int(await connection.scalar(select(Message.request_id).where(Message.id == message.id)))
