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


def install(server: socketio.AsyncServer) -> None:
    """Before the server takes its first connection; a second call changes nothing."""
    if isinstance(server.manager, OneSocketManager):
        return
    manager = OneSocketManager()
    manager.set_server(server)
    server.manager = manager
    server.manager_initialized = False
    if server.packet_class is packet.Packet:  # socket.io's JSON packets; another serializer stays as it is
        server.packet_class = FastPacket
