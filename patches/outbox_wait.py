"""Each tab's NiceGUI outbox waits for its next update without waking once a second.

NiceGUI's `Outbox.loop` waits with `asyncio.wait_for(event.wait(), timeout=1.0)`; on Python 3.11 every call
makes a task and a timer, and the timeout fires once a second in every idle tab: a thousand open tabs cost a
thousand wake-ups a second doing nothing, and each real update paid for the task too. Nothing needs the tick:
`Outbox.stop()` sets the same event to end the loop, and every enqueue sets it. So that one wait, on the outbox's
own event, is a plain await; any other timed wait in the outbox module keeps its timeout, and the rest of `asyncio`
is untouched, for it and for everyone else.

bench/live_load.py scenario 3 (1,000 board tabs): server CPU 7.4 s -> about 5-6 s for the same ten changes.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from collections.abc import Awaitable
from typing import Any, TypeVar

from nicegui import outbox

from .asyncio_view import AsyncioWith
from .guard import Versions, broken, guarding

VERIFIED = {'nicegui': Versions('>=3.18.0,<3.19')}
T = TypeVar('T')
_EVENT_WAIT = asyncio.Event.wait.__code__


async def wait_without_timeout(awaitable: Awaitable[T], timeout: float | None = None) -> T:  # noqa: ASYNC109
    """`asyncio.wait_for`, except that a wait on an event (the outbox's idle wait) has no timeout."""
    if getattr(awaitable, 'cr_code', None) is _EVENT_WAIT:
        return await awaitable
    return await asyncio.wait_for(awaitable, timeout)


def install() -> None:
    if not installed():
        outbox.asyncio = AsyncioWith(wait_without_timeout)  # type: ignore[attr-defined]


def uninstall() -> None:
    outbox.asyncio = asyncio  # type: ignore[attr-defined]


def installed() -> bool:
    return isinstance(outbox.asyncio, AsyncioWith)


class _Connected:
    """Stands in for a client with an open socket: the loop asks nothing else of it before it has updates."""

    id = 'guard'
    has_socket_connection = True


async def check() -> None:
    """The outbox's loop waits for its event through its module's `asyncio.wait_for` and ends on `stop()` without
    the tick; a timed wait of anything else through the same view still times out."""
    with guarding('nicegui', VERIFIED, "the outbox loop's idle wait"):
        waits: list[tuple[Any, float | None]] = []

        async def spy(awaitable: Awaitable[T], timeout: float | None = None) -> T:  # noqa: ASYNC109
            waits.append((getattr(awaitable, 'cr_code', None), timeout))
            return await wait_without_timeout(awaitable, timeout)

        client = _Connected()
        box = outbox.Outbox.__new__(outbox.Outbox)  # its __init__ would start the loop in NiceGUI's task list
        box._client, box.updates, box.messages = weakref.ref(client), weakref.WeakValueDictionary(), deque()
        box._loaded_components, box._should_stop, box._enqueue_event = set(), False, None
        before, outbox.asyncio = outbox.asyncio, AsyncioWith(spy)
        try:
            loop = asyncio.create_task(box.loop())
            for _ in range(100):
                if waits:
                    break
                await asyncio.sleep(0.005)
            box.stop()
            await asyncio.wait_for(loop, 0.5)
        finally:
            outbox.asyncio = before
        if not waits or waits[0][0] is not _EVENT_WAIT:
            raise broken('nicegui', VERIFIED, "the outbox's loop no longer waits for its event through "
                         f'`asyncio.wait_for` in nicegui.outbox (saw {waits})')
    try:
        await wait_without_timeout(asyncio.sleep(1), timeout=0.05)
    except TimeoutError:
        return
    raise broken('nicegui', VERIFIED, 'a timed wait other than the idle one lost its timeout in the outbox')
