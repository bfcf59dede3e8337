"""Lists that many tabs show refresh together, a few times a second at most: one shared read serves them all.

An agent's inbox that changed 50 times a second would re-read and redraw 50 times a second in every agent's tab,
for a screen nobody can read that fast. A Pacer collects the tabs that asked since its last round and refreshes
them together; the first change after a quiet spell goes out at once, so a lone change is not delayed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Hashable

log = logging.getLogger(__name__)
Refresh = Callable[[], Awaitable[None]]


class Pacer:
    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._due: dict[Hashable, Refresh] = {}
        self._task: asyncio.Task[None] | None = None
        self._last = float('-inf')

    def request(self, key: Hashable, refresh: Refresh) -> None:
        """Run `refresh` in the next round; several requests with one key before it make one run."""
        loop = asyncio.get_running_loop()
        if self._task is not None and self._task.get_loop() is not loop:
            self._due = {}  # left behind by another event loop (a finished test's): those pages are gone
        self._due[key] = refresh
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._task = loop.create_task(self._rounds())

    async def _rounds(self) -> None:
        while self._due:
            wait = self._last + self.interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            due, self._due = self._due, {}
            self._last = time.monotonic()
            results = await asyncio.gather(*(refresh() for refresh in due.values()), return_exceptions=True)
            for result in results:
                if isinstance(result, Exception):
                    log.error('a paced refresh failed', exc_info=result)
