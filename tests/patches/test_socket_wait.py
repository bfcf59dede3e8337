"""Engine.IO's socket loops keep their timeouts with the waits that no longer take a task of their own."""

from __future__ import annotations

import asyncio

import pytest
from engineio import async_socket

from patches import socket_wait


async def test_a_wait_gives_the_value_when_it_comes_in_time() -> None:
    socket_wait.install()
    queue: asyncio.Queue[str] = asyncio.Queue()
    asyncio.get_running_loop().call_later(0.02, queue.put_nowait, 'packet')
    assert await async_socket.asyncio.wait_for(queue.get(), 1.0) == 'packet'


async def test_a_wait_past_its_timeout_fails_and_leaves_nothing_waiting() -> None:
    socket_wait.install()
    queue: asyncio.Queue[str] = asyncio.Queue()
    with pytest.raises(asyncio.TimeoutError):
        await async_socket.asyncio.wait_for(queue.get(), 0.05)
    queue.put_nowait('later')  # the timed-out get was cancelled: it does not swallow the next packet
    assert queue.get_nowait() == 'later'


async def test_a_task_waited_for_past_the_timeout_is_cancelled_as_wait_for_does() -> None:
    socket_wait.install()
    task = asyncio.ensure_future(asyncio.Event().wait())
    with pytest.raises(asyncio.TimeoutError):
        await async_socket.asyncio.wait_for(task, 0.05)
    assert task.cancelled()


async def test_no_timeout_waits_for_as_long_as_it_takes_and_the_rest_of_asyncio_is_asyncio() -> None:
    socket_wait.install()
    event = asyncio.Event()
    asyncio.get_running_loop().call_later(0.05, event.set)
    assert await async_socket.asyncio.wait_for(event.wait(), None) is True
    assert async_socket.asyncio.Queue is asyncio.Queue
    with pytest.raises(TimeoutError):  # asyncio's own wait_for, for everyone else, is untouched
        await asyncio.wait_for(asyncio.Event().wait(), timeout=0.02)
