"""The last version of each list row read, so that a row read again unchanged comes back as the very same object."""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar


class _Row(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar('R', bound=_Row)
KEPT = 10_000  # rows remembered between reads; past it, all are forgotten (a read then compares field by field)


class LastRows(Generic[R]):
    """Every tab open on a list (a thousand boards, fifty desks) compares the rows it shows with each new read:
    unchanged rows given back as the same objects let each tab tell by identity, field by field only once here."""

    def __init__(self) -> None:
        self._rows: dict[int, R] = {}

    def kept(self, row: R) -> R:
        last = self._rows.get(row.id)
        if last == row:
            return last
        if len(self._rows) >= KEPT:
            self._rows.clear()
        self._rows[row.id] = row
        return row
