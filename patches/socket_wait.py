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

T = TypeVar('T')


async def wait_in_task(awaitable: Awaitable[T], timeout: float | None) -> T:  # noqa: ASYNC109
    """`asyncio.wait_for` without a task of its own: TimeoutError after `timeout` seconds, the wait cancelled."""
    if timeout is None:
        return await awaitable
    async with asyncio.timeout(timeout):
        return await awaitable


def install(module: ModuleType = async_socket) -> None:
    """For the server's sockets; bench/live_load.py's simulated tabs give engine.io's client module."""
    module.asyncio = AsyncioWith(wait_in_task)  # type: ignore[attr-defined]
