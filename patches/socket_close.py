"""A closed engine.io websocket is freed by reference counting: the error that ended it lets go of its frames.

`AsyncSocket._websocket_handler` waits for each packet in a task of its own (`wait_task`); a closing browser makes
that task end with the `OSError` the ASGI driver's `ws.wait` raises. Re-raised in the handler, the error's
traceback holds the handler's frame, whose `wait_task` holds the error: a cycle that keeps the socket, its
WebSocket, its writer task, the packets and the frames. patches.gc_policy freezes them while the tab lives, so every
closed tab left them for the 15-minute sweep (bench/soak.py, bench/probe). When the handler is done, the errors its
waits ended with drop their tracebacks, which nothing reads any more (the handler swallows them), and reference
counting frees the rest.
"""

from __future__ import annotations

from typing import Any

from engineio import async_socket

from .guard import Versions, broken, guarding

VERIFIED = {'python-engineio': Versions('>=4.15.1,<4.16')}
_original = async_socket.AsyncSocket._websocket_handler


async def _websocket_handler(self: async_socket.AsyncSocket, ws: Any) -> Any:
    """The handler, with the errors its waits for packets end with let go of their frames when it ends."""
    failed: list[BaseException] = []
    wait = ws.wait

    async def recorded_wait() -> Any:
        try:
            return await wait()
        except Exception as error:  # the driver's OSError on a close, or a packet too large
            failed.append(error)
            raise

    ws.wait = recorded_wait  # the handler's wait task calls `ws.wait()` for each packet
    try:
        return await _original(self, ws)
    finally:
        del ws.wait  # this closure holds the WebSocket: a cycle of its own
        for error in failed:
            error.__traceback__ = None  # the cycle's back edge: traceback -> handler frame -> wait_task -> error
        failed.clear()


def install() -> None:
    async_socket.AsyncSocket._websocket_handler = _websocket_handler  # type: ignore[method-assign]


def uninstall() -> None:
    async_socket.AsyncSocket._websocket_handler = _original  # type: ignore[method-assign]


def installed() -> bool:
    return async_socket.AsyncSocket._websocket_handler is _websocket_handler


async def check() -> None:
    """A websocket whose browser goes away ends its handler through the driver's error in `ws.wait`, and with the
    patch nothing of the socket is left for the collector."""
    with guarding('python-engineio', VERIFIED, "a closed websocket's handler"):
        waits, left = await closed_socket_left()
        if waits != 1:
            raise broken('python-engineio', VERIFIED, f'a websocket handler waited {waits} times through `ws.wait` '
                         'for a browser that left at once (expected 1)')
        if left:
            raise broken('python-engineio', VERIFIED, f'a closed websocket outlived its handler: {left}')


async def closed_socket_left(*, patched: bool = True) -> tuple[int, list[str]]:
    """Run one socket's websocket handler (this patch's, or engine.io's own) until its browser leaves, with the
    collector off: how often it waited through `ws.wait`, and what of it reference counting did not free."""
    import functools
    import gc
    import weakref

    import engineio
    from engineio.async_drivers.asgi import WebSocket

    class CountingWebSocket(WebSocket):
        waits = 0

        async def wait(self) -> Any:
            CountingWebSocket.waits += 1
            return await super().wait()

    async def receive() -> dict[str, Any]:
        return {'type': 'websocket.disconnect'}  # the browser has gone

    async def send(message: dict[str, Any]) -> None:
        pass

    server = engineio.AsyncServer(async_mode='asgi')
    socket = async_socket.AsyncSocket(server, 'guard')
    ws = CountingWebSocket(functools.partial(_websocket_handler if patched else _original, socket), server)
    gc.collect()
    gc.disable()  # only reference counting may free it
    try:
        await ws({'asgi.receive': receive, 'asgi.send': send})
        gone = [weakref.ref(thing) for thing in (socket, ws)]
        del socket, ws
        return CountingWebSocket.waits, [type(thing).__name__ for ref in gone if (thing := ref()) is not None]
    finally:
        gc.enable()
