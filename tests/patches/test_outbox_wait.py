"""An idle tab's outbox sleeps until something is sent, and still sends and stops."""

from __future__ import annotations

import asyncio

import pytest
from nicegui import outbox

from patches import outbox_wait


async def test_the_outbox_waits_past_a_second_for_its_event_instead_of_timing_out() -> None:
    outbox_wait.install()
    event = asyncio.Event()
    asyncio.get_running_loop().call_later(1.3, event.set)
    assert await outbox.asyncio.wait_for(event.wait(), timeout=1.0) is True  # NiceGUI's own call, unchanged
    assert outbox.asyncio.Event is asyncio.Event  # everything else it uses is asyncio's


async def test_a_timed_wait_in_the_outbox_on_anything_but_an_event_still_times_out() -> None:
    outbox_wait.install()
    with pytest.raises(TimeoutError):
        await outbox.asyncio.wait_for(asyncio.sleep(1), timeout=0.05)


async def test_a_plain_wait_for_elsewhere_still_times_out() -> None:
    outbox_wait.install()
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.Event().wait(), timeout=0.05)
