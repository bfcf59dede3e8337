"""One reader of the event log's new rows per process, handing each row to every open stream.

A thousand open streams cost one read per change, not a thousand: the tail wakes on the domain events that come
with new log rows (from this instance, or from the others through the PostgreSQL bridge), reads the rows after its
position once, and pushes them to every stream, which filters them for its reader. A burst of changes while a read
runs costs one more read. It also reads every POLL seconds, so a change whose event never arrived (a writer without
the bridge) is late, never lost; and it runs only while some stream is open.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from domain.events import MessagePosted, RequestChanged, RequestCreated
from domain.hub import EventHub
from storage.stream import StreamRow

log = logging.getLogger(__name__)
POLL = 5.0  # seconds between reads when no event woke the tail
BATCH = 500  # rows per read
RETRY = 1.0  # seconds before reading again after a failed read (the database restarting)
WAKERS = (RequestCreated, RequestChanged, MessagePosted)  # what every streamed log row is published with


class Follower(Protocol):
    def push(self, rows: list[StreamRow]) -> None: ...


class Tail:
    def __init__(self, hub: EventHub, *, read: Callable[[int, int], Awaitable[list[StreamRow]]],
                 last_id: Callable[[], Awaitable[int]]) -> None:
        self.hub = hub
        self._read = read  # (after id, limit) -> rows
        self._last_id = last_id
        self.position = 0  # every row up to here was pushed (or was in the log before the tail started)
        self.reads = 0  # for tests and the benchmark: how many reads served the streams
        self._followers: set[Follower] = set()
        self._woken = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: list[Callable[[], None]] = []
        self._starting = asyncio.Lock()

    async def join(self, follower: Follower) -> int:
        """Push every row after the returned position to `follower` from now on."""
        async with self._starting:
            if self._task is None:
                self.position = await self._last_id()
                self._unsubscribe = [self.hub.subscribe(kind, self._wake) for kind in WAKERS]
                self._unsubscribe.append(self.hub.on_resync(self.wake))
                self._task = asyncio.get_running_loop().create_task(self._run())
            self._followers.add(follower)
            return self.position  # no await since the add: nothing was pushed in between

    def leave(self, follower: Follower) -> None:
        self._followers.discard(follower)
        if not self._followers:
            self._stop()

    async def stop(self) -> None:
        task = self._stop()
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def wake(self) -> None:
        self._woken.set()

    def _wake(self, _event: object) -> None:
        self._woken.set()

    def _stop(self) -> asyncio.Task[None] | None:
        task, self._task = self._task, None
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        if task is not None:
            task.cancel()
        return task

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), POLL)
            self._woken.clear()
            try:
                await self._read_new()
            except Exception:  # the database went away: the next wake or poll reads from the same position
                log.warning('the event stream could not read the event log', exc_info=True)
                await asyncio.sleep(RETRY)
                self._woken.set()

    async def _read_new(self) -> None:
        while True:
            rows = await self._read(self.position, BATCH)
            if not rows:
                return
            self.reads += 1
            # Position and pushes change together, with no await between: a stream that joins later gets exactly
            # the rows after the position it was told.
            self.position = rows[-1].id
            for follower in list(self._followers):
                follower.push(rows)
            if len(rows) < BATCH:
                return
