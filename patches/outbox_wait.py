"""Each tab's NiceGUI outbox waits for its next update without waking once a second.

NiceGUI's `Outbox.loop` waits with `asyncio.wait_for(event.wait(), timeout=1.0)`; on Python 3.11 every call
makes a task and a timer, and the timeout fires once a second in every idle tab: a thousand open tabs cost a
thousand wake-ups a second doing nothing, and each real update paid for the task too. Nothing needs the tick:
`Outbox.stop()` sets the same event to end the loop, and every enqueue sets it. So the outbox module's
`wait_for` is a plain await; the rest of `asyncio` is untouched, for it and for everyone else.

bench/live_load.py scenario 3 (1,000 board tabs): server CPU 7.4 s -> about 5-6 s for the same ten changes.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from nicegui import outbox

from .asyncio_view import AsyncioWith

T = TypeVar('T')


async def wait_without_timeout(awaitable: Awaitable[T], timeout: float | None = None) -> T:  # noqa: ASYNC109
    """The signature of `asyncio.wait_for`; the outbox's timeout only made idle wake-ups."""
    return await awaitable


def install() -> None:
    outbox.asyncio = AsyncioWith(wait_without_timeout)  # type: ignore[attr-defined]
