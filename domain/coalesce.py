"""Identical reads answered once per change: when a thousand open lists re-read after one event, one query runs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar('V')
MAX_AGE = 30.0  # seconds; a safety net for changes that raise no event
MAX_KEYS = 1_000
MANY_KEYS = 10_000  # for values kept per user, request or conversation: a thousand visitors online at once


class Coalescer(Generic[V]):
    """`max_keys`: when full, the oldest value goes. Emptying it all once full made a thousand online visitors'
    viewers and conversations read again every few messages (bench/live_load.py scenario 8). `max_age`: None for
    values that never change."""

    def __init__(self, *, max_keys: int = MAX_KEYS, max_age: float | None = MAX_AGE) -> None:
        self._results: dict[Hashable, tuple[float, asyncio.Future[V]]] = {}
        self.max_keys, self.max_age = max_keys, max_age

    def forget(self, *_event: object) -> None:
        """Something changed: the next read of every key runs again (reads in flight finish as they are)."""
        self._results.clear()

    def put(self, key: Hashable, value: V) -> None:
        """Remember a value known without reading it (what was just written)."""
        done: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        done.set_result(value)
        self._store(key, (time.monotonic(), done))

    def forget_key(self, key: Hashable) -> None:
        """Only this key's value changed."""
        self._results.pop(key, None)

    async def get(self, key: Hashable, load: Callable[[], Awaitable[V]]) -> V:
        now = time.monotonic()
        found = self._results.get(key)
        if found is None or (self.max_age is not None and now - found[0] > self.max_age):
            task = asyncio.ensure_future(load())
            found = (now, task)
            self._store(key, found)
            task.add_done_callback(lambda done: self._drop_failed(key, done))
        # shield: a caller that goes away (its tab closed) must not cancel the read others wait for
        return await asyncio.shield(found[1])

    def _store(self, key: Hashable, entry: tuple[float, asyncio.Future[V]]) -> None:
        """Newest last: the dict's order is the order of age, so the oldest is the first key."""
        self._results.pop(key, None)
        if len(self._results) >= self.max_keys:
            del self._results[next(iter(self._results))]
        self._results[key] = entry

    def _drop_failed(self, key: Hashable, task: asyncio.Future[V]) -> None:
        if task.cancelled() or task.exception() is not None:
            entry = self._results.get(key)
            if entry is not None and entry[1] is task:
                del self._results[key]
