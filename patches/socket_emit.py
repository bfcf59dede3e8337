"""A tab's update goes straight to its one socket, and is checked for binary data in one pass.

NiceGUI sends each tab's updates to the socket.io room named by its client id, which holds that tab's socket.
python-socketio's `AsyncManager.emit` sends to every member of a room in a task of its own and waits for them
all: for one member that is a task, a wait and two more trips through the event loop per update. Its `Packet`
then looks for bytes in the update with `functools.reduce` over a list built at every level of it. With a
thousand board tabs the two were about 9 % of the server's samples in py-spy's profile (bench/live_load.py
scenario 3). Both are the library's own extension points: a client manager and a packet class.

An emit with a callback, or to a room of several sockets, takes the library's own way.
"""

from __future__ import annotations

import logging
from typing import Any

import socketio
from socketio import packet

from .guard import Versions, broken, guarding

VERIFIED = {'python-socketio': Versions('>=5.18.1,<5.19')}
log = logging.getLogger(__name__)


class FastPacket(packet.Packet):
    @classmethod
    def data_is_binary(cls, data: Any) -> bool:
        """Whether `data` holds bytes anywhere in its lists and dicts: socket.io's answer, with no lists built."""
        pending = [data]
        while pending:
            item = pending.pop()
            if isinstance(item, (bytes, bytearray)):
                return True
            if isinstance(item, dict):
                pending.extend(item.values())
            elif isinstance(item, list):
                pending.extend(item)
        return False


class OneSocketManager(socketio.AsyncManager):
    async def emit(self, event: str, data: Any, namespace: str, room: Any = None, skip_sid: Any = None,
                   callback: Any = None, to: Any = None, **kwargs: Any) -> None:
        eio_sid = self._only_socket(namespace, to or room) if callback is None and skip_sid is None else None
        if eio_sid is None:
            await super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, to=to,
                               **kwargs)
            return
        arguments = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        message = self.server.packet_class(packet.EVENT, namespace=namespace, data=[event, *arguments])
        try:
            await self.server._send_packet(eio_sid, message)
        except Exception:  # as in the library's task per member: the sender is not the one to fail
            log.exception('sending %s to %s failed', event, eio_sid)

    def _only_socket(self, namespace: str, room: Any) -> str | None:
        """The engine.io session of the room's only member, if it has exactly one."""
        if not isinstance(room, str):
            return None
        members = self.rooms.get(namespace, {}).get(room)
        if members is None or len(members) != 1:
            return None
        return next(iter(members.values()))


def _server(server: socketio.AsyncServer | None) -> socketio.AsyncServer:
    if server is None:
        from nicegui import core  # NiceGUI's one socket.io server
        return core.sio
    return server


def install(server: socketio.AsyncServer | None = None) -> None:
    """Before the server takes its first connection; a second call changes nothing."""
    server = _server(server)
    if isinstance(server.manager, OneSocketManager):
        return
    _use(server, OneSocketManager())
    if server.packet_class is packet.Packet:  # socket.io's JSON packets; another serializer stays as it is
        server.packet_class = FastPacket


def uninstall(server: socketio.AsyncServer | None = None) -> None:
    """Back to socket.io's own manager and packets; before the server takes its first connection."""
    server = _server(server)
    if isinstance(server.manager, OneSocketManager):
        _use(server, socketio.AsyncManager())
    if server.packet_class is FastPacket:
        server.packet_class = packet.Packet


def installed(server: socketio.AsyncServer | None = None) -> bool:
    return isinstance(_server(server).manager, OneSocketManager)


def _use(server: socketio.AsyncServer, manager: socketio.AsyncManager) -> None:
    manager.set_server(server)
    server.manager = manager
    server.manager_initialized = False


async def check() -> None:
    """An emit to a room of one socket goes out through `AsyncServer._send_packet` as the very frames socket.io's
    own emit sends, binary data included; a room of two still reaches both."""
    with guarding('python-socketio', VERIFIED, "emitting to a room of one socket through `_send_packet`"):
        emits = [('update', {'7': {'props': {'innerHTML': '<b>x</b>'}}, '_id': 3}), ('run', ('a', 'b')),
                 ('download', {'content': b'\x00pdf', 'name': 'a.pdf'})]
        frames = {}
        for fast in (False, True):
            server = socketio.AsyncServer(async_mode='asgi')
            if fast:
                install(server)
            sent: list[tuple[str, Any]] = []

            async def send(eio_sid: str, data: Any, sent: list[tuple[str, Any]] = sent) -> None:
                sent.append((eio_sid, data))

            async def send_packet(eio_sid: str, message: Any, sent: list[tuple[str, Any]] = sent) -> None:
                sent.append((eio_sid, message.data))  # engine.io's send(sid, data) sends Packet(MESSAGE, data)

            server.eio.send, server.eio.send_packet = send, send_packet  # type: ignore[method-assign]
            for eio_sid, room in (('e1', 'one'), ('e2', 'two'), ('e3', 'two')):
                sid = await server.manager.connect(eio_sid, '/')
                await server.manager.enter_room(sid, '/', room, eio_sid=eio_sid)
            for event, data in emits:
                await server.emit(event, data, room='one')
            await server.emit('update', {'_id': 1}, room='two')
            if fast and server.manager._only_socket('/', 'one') != 'e1':
                raise broken('python-socketio', VERIFIED, "the manager's rooms no longer map a room to its sockets")
            frames[fast] = sorted(sent, key=repr)
    if frames[True] != frames[False]:
        raise broken('python-socketio', VERIFIED, f'the fast path sent {frames[True]}, socket.io {frames[False]}')
