"""Slows down repeated failed sign-ins for one username, whoever tries them."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

FREE_FAILURES = 3
MAX_DELAY = 300.0


@dataclass
class _Failures:
    count: int
    last: float


class LoginThrottle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, _Failures] = {}

    def wait_time(self, username_key: str) -> float:
        """Seconds before this username may try again (0 when it may now)."""
        failures = self._failures.get(username_key)
        if failures is None or failures.count < FREE_FAILURES:
            return 0.0
        delay = min(2.0 ** (failures.count - FREE_FAILURES), MAX_DELAY)
        return max(0.0, failures.last + delay - self._clock())

    def failed(self, username_key: str) -> None:
        failures = self._failures.setdefault(username_key, _Failures(0, 0.0))
        failures.count += 1
        failures.last = self._clock()
        if len(self._failures) > 100_000:  # bounded memory under a spray of made-up names
            self._failures.pop(next(iter(self._failures)))

    def succeeded(self, username_key: str) -> None:
        self._failures.pop(username_key, None)
