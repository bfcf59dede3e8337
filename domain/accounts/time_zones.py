"""The time zones a person may choose: the IANA names this system's zone database knows."""

from __future__ import annotations

import functools
import zoneinfo


@functools.cache
def time_zones() -> tuple[str, ...]:
    """Every known zone name, sorted; read from the zone database once (about 600 names)."""
    return tuple(sorted(name for name in zoneinfo.available_timezones() if '/' in name or name == 'UTC'))


def is_time_zone(name: str) -> bool:
    return name in _known()


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(time_zones())
