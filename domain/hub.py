"""In-process event hub: subscribers keyed by what they watch; a failing subscriber is logged and skipped."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from .events import DomainEvent

log = logging.getLogger(__name__)
E = TypeVar('E', bound=DomainEvent)
Handler = Callable[[Any], Awaitable[None] | None]


class EventHub:
    def __init__(self) -> None:
        self._subscribers: dict[tuple[type[DomainEvent], int | None], list[Handler]] = defaultdict(list)
        self._tasks: set[asyncio.Task[None]] = set()
        self._resync_listeners: list[Callable[[], None]] = []
        self.published = 0

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

        def unsubscribe() -> None:
            if handler in handlers:
                handlers.remove(handler)
            # Drop the emptied list only if it is still the registered one (a later subscribe may have made anew).
            if not handlers and self._subscribers.get((kind, key)) is handlers:
                del self._subscribers[(kind, key)]
        return unsubscribe

    def subscriber_count(self, kind: type[DomainEvent], key: int | None = None) -> int:
        return len(self._subscribers.get((kind, key), ()))

    def publish(self, event: DomainEvent) -> None:
        self.published += 1
        targets = [*self._subscribers.get((type(event), event.key), ())]
        if event.key is not None:
            targets += self._subscribers.get((type(event), None), ())
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
