"""Token buckets per key, in memory: O(1) per request, no locks (one event loop), bounded in size."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from settings import Rate

MAX_KEYS = 100_000


class TokenBuckets:
    """Each key may spend `rate.count` requests at once, refilled evenly over `rate.seconds`."""

    def __init__(self, rate: Rate, *, clock: Callable[[], float] = time.monotonic, max_keys: int = MAX_KEYS) -> None:
        self.rate = rate
        self._capacity = float(rate.count)
        self._per_second = rate.count / rate.seconds
        self._clock = clock
        self._max_keys = max_keys
        # key -> [tokens, time of last use], least recently used first. An OrderedDict, not a dict: taking from
        # the front of a plain dict slows down as deleted slots pile up there.
        self._buckets: OrderedDict[Hashable, list[float]] = OrderedDict()

    def take(self, key: Hashable) -> float:
        """Spend one token: 0 when allowed, else the seconds until one will be there."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = [self._capacity, now]
        else:
            self._buckets.move_to_end(key)
            bucket[0] = min(self._capacity, bucket[0] + (now - bucket[1]) * self._per_second)
            bucket[1] = now
        self._forget_idle(now)
        if bucket[0] >= 1:
            bucket[0] -= 1
            return 0.0
        return (1 - bucket[0]) / self._per_second

    def _forget_idle(self, now: float) -> None:
        # A bucket unused for a whole period has refilled: forgetting it changes nothing. Two per call keep up
        # with at most one new key per call; past the size bound the least recently used go even if not full.
        for _ in range(2):
            key, (_tokens, last) = next(iter(self._buckets.items()))
            if now - last < self.rate.seconds and len(self._buckets) <= self._max_keys:
                return
            del self._buckets[key]

    def __len__(self) -> int:
        return len(self._buckets)
