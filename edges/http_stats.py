"""Request counts and latency per route template, kept in plain dicts and read by /metrics when scraped."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict

# Prometheus' usual latency buckets, in seconds.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class HttpStats:
    """Per (method, route, status): a count; per (method, route): a latency histogram. One event loop: no locks."""

    def __init__(self, buckets: tuple[float, ...] = BUCKETS) -> None:
        self.buckets = buckets
        self.requests: defaultdict[tuple[str, str, str], int] = defaultdict(int)
        # (method, route) -> counts per bucket (not cumulative; the last one is +Inf), and the sum of seconds
        self.latency: dict[tuple[str, str], tuple[list[int], list[float]]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests[(method, route, str(status))] += 1
        histogram = self.latency.get((method, route))
        if histogram is None:
            histogram = self.latency[(method, route)] = ([0] * (len(self.buckets) + 1), [0.0])
        histogram[0][bisect_left(self.buckets, seconds)] += 1
        histogram[1][0] += seconds

