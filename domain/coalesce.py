"""Identical reads answered once per change: when a thousand open lists re-read after one event, one query runs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar('V')
MAX_AGE = 30.0  # seconds; a safety net for changes that raise no event
MAX_KEYS = 1_000


class Coalescer(Generic[V]):
    def __init__(self) -> None:
        self._results: dict[Hashable, tuple[float, asyncio.Future[V]]] = {}

    def forget(self, *_event: object) -> None:
        """Something changed: the next read of every key runs again (reads in flight finish as they are)."""
        self._results.clear()

    def put(self, key: Hashable, value: V) -> None:
        """Remember a value known without reading it (what was just written)."""
        done: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        done.set_result(value)
        if len(self._results) >= MAX_KEYS:
            self._results.clear()
        self._results[key] = (time.monotonic(), done)

    def forget_key(self, key: Hashable) -> None:
        """Only this key's value changed."""
        self._results.pop(key, None)

    async def get(self, key: Hashable, load: Callable[[], Awaitable[V]]) -> V:
        now = time.monotonic()
        found = self._results.get(key)
        if found is None or now - found[0] > MAX_AGE:
            if len(self._results) >= MAX_KEYS:
                self._results.clear()
            task = asyncio.ensure_future(load())
            found = self._results[key] = (now, task)
            task.add_done_callback(lambda done: self._drop_failed(key, done))
        # shield: a caller that goes away (its tab closed) must not cancel the read others wait for
        return await asyncio.shield(found[1])

    def _drop_failed(self, key: Hashable, task: asyncio.Future[V]) -> None:
        if task.cancelled() or task.exception() is not None:
            entry = self._results.get(key)
            if entry is not None and entry[1] is task:
                del self._results[key]
