"""In-process event hub: subscribers keyed by what they watch; a failing subscriber is logged and skipped."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from domain.events import DomainEvent

log = logging.getLogger(__name__)
E = TypeVar('E', bound=DomainEvent)
MARK_SLOTS = 4096
Handler = Callable[[Any], Awaitable[None] | None]


class EventHub:
    def __init__(self) -> None:
        self._subscribers: dict[tuple[type[DomainEvent], int | None], list[Handler]] = defaultdict(list)
        self._tasks: set[asyncio.Task[None]] = set()
        self._resync_listeners: list[Callable[[], None]] = []
        self._listening: dict[type[DomainEvent], int] = {}  # subscribers per kind, under any key
        self.published = 0
        # When each (kind, key) last happened, as a `published` count: a watcher that read at count N learns
        # whether what it watches changed since. Hashed into fixed slots, so memory stays bounded; a collision
        # only costs a needless re-read.
        self._marks = [0] * MARK_SLOTS
        # Counts for the metrics endpoint: plain ints, cheap on every event, read only when scraped.
        self.published_by_kind: dict[type[DomainEvent], int] = {}
        self.delivered_by_kind: dict[type[DomainEvent], int] = {}  # handler calls

    def on_resync(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` when events may have been missed (the bridge to other instances reconnected)."""
        self._resync_listeners.append(listener)
        return lambda: self._resync_listeners.remove(listener) if listener in self._resync_listeners else None

    def resync(self) -> None:
        for listener in list(self._resync_listeners):
            try:
                listener()
            except Exception:
                log.exception('resync listener failed')

    def subscribe(self, kind: type[E], handler: Callable[[E], Awaitable[None] | None], *,
                  key: int | None = None) -> Callable[[], None]:
        """Call `handler` for every `kind` event with this key (or every one, for key None); returns unsubscribe."""
        handlers = self._subscribers[(kind, key)]
        handlers.append(handler)
        self._listening[kind] = self._listening.get(kind, 0) + 1

        def unsubscribe() -> None:
            if handler in handlers:
                handlers.remove(handler)
                self._listening[kind] -= 1
            # Drop the emptied list only if it is still the registered one (a later subscribe may have made anew).
            if not handlers and self._subscribers.get((kind, key)) is handlers:
                del self._subscribers[(kind, key)]
        return unsubscribe

    def changed_since(self, published: int, kind: type[DomainEvent], key: int | None = None) -> bool:
        """Whether a `kind` event with `key` (any key, for None) may have come after the `published`-th event."""
        return self._marks[hash((kind, key)) % MARK_SLOTS] > published

    def listening(self, kind: type[DomainEvent]) -> bool:
        """Whether anyone subscribed to `kind` under any key: lets a publisher skip reading for nobody."""
        return self._listening.get(kind, 0) > 0

    def subscriber_count(self, kind: type[DomainEvent], key: int | None = None) -> int:
        return len(self._subscribers.get((kind, key), ()))

    def publish(self, event: DomainEvent) -> None:
        self.published += 1
        kind = type(event)
        # Catch-all subscribers first: the caches that forget on an event (Desk.build) do so before any page's
        # handler for that one key reads again.
        targets = [*self._subscribers.get((kind, None), ())]
        if event.key is not None:
            targets += self._subscribers.get((kind, event.key), ())
        self._marks[hash((kind, event.key)) % MARK_SLOTS] = self.published
        if event.key is not None:
            self._marks[hash((kind, None)) % MARK_SLOTS] = self.published
        self.published_by_kind[kind] = self.published_by_kind.get(kind, 0) + 1
        self.delivered_by_kind[kind] = self.delivered_by_kind.get(kind, 0) + len(targets)
        for handler in targets:
            self._run(handler, event)

    def _run(self, handler: Handler, event: DomainEvent) -> None:
        try:
            result = handler(event)
        except Exception:
            log.exception('event handler failed for %r', event)
            return
        if asyncio.iscoroutine(result):
            task = asyncio.get_running_loop().create_task(self._guard(result, event))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _guard(result: Awaitable[None], event: DomainEvent) -> None:
        try:
            await result
        except Exception:
            log.exception('event handler failed for %r', event)

    async def drain(self) -> None:
        """Wait for handlers still running (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
