"""Rows read again unchanged come back as the same objects: open lists tell what changed by identity."""

from __future__ import annotations

from dataclasses import dataclass

from domain import last_rows
from domain.last_rows import LastRows


@dataclass(frozen=True)
class Row:
    id: int
    title: str


def test_an_unchanged_row_is_the_one_read_before_and_a_changed_one_is_new() -> None:
    rows: LastRows[Row] = LastRows()
    first = rows.kept(Row(1, 'a'))
    assert rows.kept(Row(1, 'a')) is first
    changed = rows.kept(Row(1, 'b'))
    assert changed is not first and changed == Row(1, 'b')
    assert rows.kept(Row(1, 'b')) is changed


def test_past_its_limit_it_forgets_all_and_goes_on(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(last_rows, 'KEPT', 2)
    rows: LastRows[Row] = LastRows()
    kept = [rows.kept(Row(n, 'x')) for n in range(3)]
    assert rows.kept(Row(2, 'x')) is kept[2]
    assert rows.kept(Row(0, 'x')) is not kept[0]  # forgotten with the rest when the third came
