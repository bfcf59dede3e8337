"""How often a visitor, or one address, may start conversations and send: counted in memory, per process."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable

from domain.errors import TooManyAttempts

MAX_KEYS = 100_000  # per window: bounded memory under a spray of made-up addresses


class Window:
    """At most `limit` events per key in any `seconds`; quiet keys are forgotten, beyond MAX_KEYS the oldest."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.seconds = seconds
        self._clock = clock
        self._keys: OrderedDict[Hashable, deque[float]] = OrderedDict()

    def wait(self, key: Hashable) -> float:
        """Seconds until `key` may act again; 0 when it may now."""
        times = self._recent(key)
        return 0.0 if len(times) < self.limit else max(0.0, times[0] + self.seconds - self._clock())

    def take(self, key: Hashable) -> None:
        times = self._recent(key)
        times.append(self._clock())
        self._keys[key] = times
        self._keys.move_to_end(key)
        while len(self._keys) > MAX_KEYS:
            self._keys.popitem(last=False)

    def _recent(self, key: Hashable) -> deque[float]:
        times = self._keys.get(key, deque())
        since = self._clock() - self.seconds
        while times and times[0] <= since:
            times.popleft()
        return times


class VisitorLimits:
    """Sending: per visitor and per address. Starting a conversation (a new visitor or a new ticket): per address
    and per visitor, tighter, since each one is a new row in every agent's inbox."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.sends_per_visitor = Window(20, 60, clock)
        self.sends_per_address = Window(60, 60, clock)
        self.starts_per_address = Window(10, 600, clock)
        self.starts_per_visitor = Window(3, 600, clock)

    def send(self, *, visitor_id: int | None, address: str, starting: bool) -> None:
        """Count one message, or raise TooManyAttempts (counting nothing) when a limit is reached."""
        windows: list[tuple[Window, Hashable]] = [(self.sends_per_address, address)]
        if visitor_id is not None:
            windows.append((self.sends_per_visitor, visitor_id))
        if starting:
            windows.append((self.starts_per_address, address))
            if visitor_id is not None:
                windows.append((self.starts_per_visitor, visitor_id))
        wait = max(window.wait(key) for window, key in windows)
        if wait > 0:
            raise TooManyAttempts('Too many messages. Try again in {seconds} seconds.', retry_after=wait,
                                  seconds=max(1, round(wait)))
        for window, key in windows:
            window.take(key)
