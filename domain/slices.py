"""A page of a list read by key (after the last row shown), as clients that page with a cursor read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar('T')
MAX_ROWS = 100  # rows one read hands out at most


@dataclass(frozen=True)
class Slice(Generic[T]):
    rows: list[T]
    more: bool  # rows follow the last one


def bounded(limit: int) -> int:
    return max(1, min(limit, MAX_ROWS))


def sliced(rows: list[T], limit: int) -> Slice[T]:
    """Cut rows read with one extra (limit + 1) to the page and tell whether there were more."""
    return Slice(rows[:limit], len(rows) > limit)
