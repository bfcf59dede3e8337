"""Queues and workflows kept in memory: every create, status change and request page reads them, admins seldom
change them.

The cache is one per process and read through by WorkflowRepository. A unit of work that changes a queue or a
workflow reads around it from then on and, once committed, announces the change (WorkflowsChanged, also to the
other instances through NOTIFY), which empties the cache everywhere; so does the event bridge's reconnect.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar('T')


class Catalog:
    def __init__(self) -> None:
        self._entries: dict[Hashable, Any] = {}
        self._generation = 0

    def forget(self, *_event: object) -> None:
        self._generation += 1
        self._entries = {}

    async def get(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        if key in self._entries:
            return self._entries[key]
        generation = self._generation
        value = await load()
        if generation == self._generation:  # not forgotten while we read: the value is not older than the change
            self._entries[key] = value
        return value
