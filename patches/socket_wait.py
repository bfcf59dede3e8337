"""Engine.IO's websocket loops keep their timeouts but wait in their own task.

`engineio.async_socket` waits for every packet it sends (`AsyncSocket.poll`) and every packet it receives with
`asyncio.wait_for`. On Python 3.11 each call wraps the wait in a new task and hands the result back through it:
a task, a timer and two extra trips through the event loop per message, per tab; about 4 % of the server's
samples in py-spy's profile of bench/live_load.py scenario 3 (a thousand board tabs). `asyncio.timeout` sets the
same deadline on the waiting task itself, and cancels what it awaits when the deadline passes, as `wait_for`
does. Python 3.12 rewrote `wait_for` this way; on it this changes nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from types import ModuleType
from typing import TypeVar

from engineio import async_socket

from .asyncio_view import AsyncioWith
from .guard import Versions, broken, guarding

VERIFIED = {'python-engineio': Versions('>=4.15.1,<4.16')}
T = TypeVar('T')


async def wait_in_task(awaitable: Awaitable[T], timeout: float | None) -> T:  # noqa: ASYNC109
    """`asyncio.wait_for` without a task of its own: TimeoutError after `timeout` seconds, the wait cancelled."""
    if timeout is None:
        return await awaitable
    async with asyncio.timeout(timeout):
        return await awaitable


def install(module: ModuleType = async_socket) -> None:
    """For the server's sockets; bench/live_load.py's simulated tabs give engine.io's client module."""
    if not installed(module):
        module.asyncio = AsyncioWith(wait_in_task)  # type: ignore[attr-defined]


def uninstall(module: ModuleType = async_socket) -> None:
    module.asyncio = asyncio  # type: ignore[attr-defined]


def installed(module: ModuleType = async_socket) -> bool:
    return isinstance(module.asyncio, AsyncioWith)  # type: ignore[attr-defined]


async def check() -> None:
    """A socket's poll waits for its next packet through its module's `asyncio.wait_for`, with the server's ping
    deadline, and through this view still gives up at that deadline and still gets a packet that comes in time."""
    import engineio
    from engineio import exceptions

    with guarding('python-engineio', VERIFIED, "a socket's timed wait for its next packet"):
        waits: list[float | None] = []

        async def spy(awaitable: Awaitable[T], timeout: float | None) -> T:  # noqa: ASYNC109
            waits.append(timeout)
            return await wait_in_task(awaitable, timeout)

        server = engineio.AsyncServer(async_mode='asgi')
        server.ping_interval, server.ping_timeout = 0.02, 0.02  # seconds, for the check only
        socket = async_socket.AsyncSocket(server, 'guard')
        before, async_socket.asyncio = async_socket.asyncio, AsyncioWith(spy)  # type: ignore[attr-defined]
        try:
            try:
                await socket.poll()
                timed_out = False
            except exceptions.QueueEmpty:
                timed_out = True
            asyncio.get_running_loop().call_later(0.01, socket.queue.put_nowait, 'packet')
            polled = await socket.poll()
        finally:
            async_socket.asyncio = before  # type: ignore[attr-defined]
        if not timed_out or len(waits) != 2 or waits[0] != 0.04:
            raise broken('python-engineio', VERIFIED, "AsyncSocket.poll no longer waits with its module's "
                         f'`asyncio.wait_for` and the ping deadline (timed out: {timed_out}, waits: {waits})')
        if polled != ['packet']:
            raise broken('python-engineio', VERIFIED, f'AsyncSocket.poll gave {polled!r} for one packet')
