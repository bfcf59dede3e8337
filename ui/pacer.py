"""Lists that many tabs show refresh together, a few times a second at most: one shared read serves them all.

An agent's inbox that changed 50 times a second would re-read and redraw 50 times a second in every agent's tab,
for a screen nobody can read that fast. A Pacer collects the tabs that asked since its last round and refreshes
them together; the first change after a quiet spell goes out at once, so a lone change is not delayed.

Tabs that show the same read (a thousand boards on their first page) ask with `request_shown`: the round reads
once for them and shows the result in each, one after another. A task per tab, each waiting for the one shared
read, cost about as much as the showing itself (bench/live_load.py scenario 3).
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

log = logging.getLogger(__name__)
Refresh = Callable[[], Awaitable[None]]
Read = Callable[[], Awaitable[Any]]
Show = Callable[[Any], None]
SHOW_BATCH = 20  # tabs shown between turns of the event loop


class Pacer:
    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._due: dict[Hashable, Refresh] = {}
        self._shown: dict[Hashable, tuple[Read, dict[Hashable, Show]]] = {}  # read key -> (read, key -> show)
        self._task: asyncio.Task[None] | None = None
        self._last = float('-inf')
        self._stopped: asyncio.AbstractEventLoop | None = None  # the loop of a server that is shutting down
        _EVERY.add(self)

    def request(self, key: Hashable, refresh: Refresh) -> None:
        """Run `refresh` in the next round; several requests with one key before it make one run."""
        if self._start():
            self._due[key] = refresh

    def request_shown(self, read_key: Hashable, read: Read, key: Hashable, show: Show) -> None:
        """In the next round, `read()` once for every request with `read_key`, then `show(result)` for each key."""
        if self._start():
            self._shown.setdefault(read_key, (read, {}))[1][key] = show

    def stop(self) -> None:
        """The server is stopping: a round under way is cancelled and nothing asked from now on runs. A round once
        ran after the database had closed and logged the failure of every tab's read (tests/e2e/test_two_instances)."""
        self._due, self._shown = {}, {}
        self._stopped = asyncio.get_running_loop()
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def _start(self) -> bool:
        loop = asyncio.get_running_loop()
        if self._stopped is loop:
            return False
        if self._task is not None and self._task.get_loop() is not loop:
            self._due, self._shown = {}, {}  # left behind by another event loop (a finished test's): pages gone
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._task = loop.create_task(self._rounds())  # runs once this request is noted
        return True

    async def _rounds(self) -> None:
        while self._due or self._shown:
            wait = self._last + self.interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            due, self._due = self._due, {}
            shown, self._shown = self._shown, {}
            self._last = time.monotonic()
            results = await asyncio.gather(*(refresh() for refresh in due.values()),
                                           *(_read_and_show(read, shows) for read, shows in shown.values()),
                                           return_exceptions=True)
            for result in results:
                if isinstance(result, Exception):
                    log.error('a paced refresh failed', exc_info=result)


_EVERY: weakref.WeakSet[Pacer] = weakref.WeakSet()


def stop_all() -> None:
    """Before the database closes: no open page refreshes on its own any more."""
    for pacer in list(_EVERY):
        pacer.stop()


async def _read_and_show(read: Read, shows: dict[Hashable, Show]) -> None:
    """Shown in batches, with a turn of the event loop between them, so the first tabs' updates are on their way
    while later tabs are still being shown. Shown all at once, no update left before the last tab was shown, and
    a thousand board tabs then received theirs in a burst at the end of the round (bench/live_load.py scenario 3).
    """
    result = await read()
    for number, show in enumerate(shows.values()):
        if number and number % SHOW_BATCH == 0:
            await asyncio.sleep(0)
        try:
            show(result)
        except Exception:  # one tab's trouble is not the others'
            log.exception('a paced refresh failed')
