"""An update reaches its tab's one socket directly; rooms of several sockets, callbacks and binary data still
take socket.io's own way. A real socket.io server on 127.0.0.1 and real clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import socketio
import uvicorn
from socketio.packet import Packet

from patches import socket_emit
from tests.ports import free_port

ROOMS = {'alone': 'room-a', 'first': 'room-b', 'second': 'room-b'}


class Served:
    def __init__(self, server: socketio.AsyncServer, url: str) -> None:
        self.server, self.url = server, url
        self.clients: list[socketio.AsyncClient] = []

    async def client(self, name: str) -> list[tuple[Any, ...]]:
        received: list[tuple[Any, ...]] = []
        client = socketio.AsyncClient(reconnection=False)
        client.on('*', lambda event, *data: received.append((event, *data)))
        await client.connect(self.url, auth={'name': name}, transports=['websocket'])
        self.clients.append(client)
        return received


@pytest.fixture
async def served() -> AsyncIterator[Served]:
    server = socketio.AsyncServer(async_mode='asgi')
    socket_emit.install(server)

    @server.on('connect')
    async def connect(sid: str, _environ: dict, auth: dict) -> None:
        await server.enter_room(sid, ROOMS[auth['name']])

    port = free_port()
    web = uvicorn.Server(uvicorn.Config(socketio.ASGIApp(server), host='127.0.0.1', port=port, log_level='warning',
                                        lifespan='off'))
    running = asyncio.create_task(web.serve())
    for _ in range(500):  # uvicorn's `started` is a flag, not an event
        if web.started:
            break
        await asyncio.sleep(0.01)
    served = Served(server, f'http://127.0.0.1:{port}')
    yield served
    for client in served.clients:
        await client.disconnect()
    web.should_exit = True
    await running


async def arrived(received: list[tuple[Any, ...]], count: int) -> list[tuple[Any, ...]]:
    for _ in range(200):
        if len(received) >= count:
            return received
        await asyncio.sleep(0.01)
    return received


async def test_an_update_for_a_room_of_one_socket_arrives_whole(served: Served) -> None:
    alone = await served.client('alone')
    assert served.server.manager._only_socket('/', 'room-a') is not None
    await served.server.emit('update', {'7': {'props': {'innerHTML': '<b>x</b>'}, '_id': 3}}, room='room-a')
    await served.server.emit('run_javascript', ('a', 'b'), room='room-a')  # a tuple is several arguments
    assert await arrived(alone, 2) == [('update', {'7': {'props': {'innerHTML': '<b>x</b>'}, '_id': 3}}),
                                       ('run_javascript', 'a', 'b')]


async def test_a_room_of_two_sockets_reaches_both(served: Served) -> None:
    first, second = await served.client('first'), await served.client('second')
    assert served.server.manager._only_socket('/', 'room-b') is None
    await served.server.emit('update', {'_id': 1}, room='room-b')
    assert await arrived(first, 1) == [('update', {'_id': 1})]
    assert await arrived(second, 1) == [('update', {'_id': 1})]


async def test_binary_data_still_arrives_as_bytes(served: Served) -> None:
    alone = await served.client('alone')
    await served.server.emit('download', {'content': b'\x00\xffpdf', 'name': 'a.pdf'}, room='room-a')
    assert await arrived(alone, 1) == [('download', {'content': b'\x00\xffpdf', 'name': 'a.pdf'})]


async def test_a_room_nobody_is_in_sends_nothing_and_fails_nothing(served: Served) -> None:
    alone = await served.client('alone')
    await served.server.emit('update', {'_id': 1}, room='no-such-room')
    await asyncio.sleep(0.05)
    assert alone == []


@pytest.mark.parametrize('data', [
    None, 'text', 12, [], {}, {'a': [1, {'b': 'c'}]}, {'a': [1, {'b': b'x'}]}, [bytearray(b'y')],
    {'deep': [[[[{'deeper': [b'z']}]]]]}, ('a tuple', b'is not looked into'),
])
def test_the_binary_check_answers_as_socket_ios_own(data: Any) -> None:
    assert socket_emit.FastPacket.data_is_binary(data) == Packet.data_is_binary(data)


def test_installing_twice_keeps_the_first_manager() -> None:
    server = socketio.AsyncServer(async_mode='asgi')
    socket_emit.install(server)
    manager = server.manager
    socket_emit.install(server)
    assert server.manager is manager and server.packet_class is socket_emit.FastPacket
