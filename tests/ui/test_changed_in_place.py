"""Which rows of a shared read changed, asked by a thousand tabs and answered once."""

from __future__ import annotations

from dataclasses import dataclass

from ui.components.keyed_rows import changed_in_place


@dataclass(frozen=True)
class Row:
    id: int
    status: str


def key(row: Row) -> int:
    return row.id


def test_only_rows_that_are_new_objects_in_the_same_places_are_changed() -> None:
    a, b, c = Row(1, 'Open'), Row(2, 'Open'), Row(3, 'Open')
    b_moved_on = Row(2, 'In progress')
    assert changed_in_place([a, b, c], [a, b_moved_on, c], key=key) == [b_moved_on]
    assert changed_in_place([a, b, c], [a, b, c], key=key) == []


def test_rows_that_came_went_or_moved_leave_it_to_sync_rows() -> None:
    a, b, c = Row(1, 'Open'), Row(2, 'Open'), Row(3, 'Open')
    assert changed_in_place([a, b, c], [b, a, c], key=key) is None
    assert changed_in_place([a, b, c], [a, b], key=key) is None
    assert changed_in_place([a, b], [a, Row(4, 'Open')], key=key) is None


def test_the_same_pair_asked_again_gets_the_same_answer_without_comparing_again() -> None:
    compared: list[int] = []

    def counting_key(row: Row) -> int:
        compared.append(row.id)
        return row.id

    before, after = [Row(1, 'Open'), Row(2, 'Open')], [Row(1, 'Open'), Row(2, 'Closed')]
    first = changed_in_place(before, after, key=counting_key)
    asked_once = len(compared)
    for _ in range(999):  # every other tab that showed `before` and now shows `after`
        assert changed_in_place(before, after, key=counting_key) is first
    assert len(compared) == asked_once
    assert changed_in_place(after, before, key=counting_key) == before  # another pair is compared anew
