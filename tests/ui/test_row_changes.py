"""What changed in a shared read, worked out once for a thousand tabs, and applied to each tab's rows."""

from __future__ import annotations

from dataclasses import dataclass

from nicegui import ui
from nicegui.testing import User

from ui.components.keyed_rows import apply_changes, row_changes


@dataclass(frozen=True)
class Row:
    id: int
    status: str


def key(row: Row) -> int:
    return row.id


def test_rows_that_are_new_objects_under_the_same_keys_are_changed_in_place() -> None:
    a, b, c = Row(1, 'Open'), Row(2, 'Open'), Row(3, 'Open')
    b_moved_on = Row(2, 'In progress')
    changes = row_changes([a, b, c], [a, b_moved_on, c], key=key)
    assert changes.in_place and changes.changed == (b_moved_on,)
    assert row_changes([a, b, c], [a, b, c], key=key).changed == ()


def test_rows_that_came_went_or_moved_are_named_with_the_order_to_show() -> None:
    a, b, c, d = Row(1, 'Open'), Row(2, 'Open'), Row(3, 'Open'), Row(4, 'Open')
    moved = row_changes([a, b, c], [b, a, c], key=key)
    assert not moved.in_place and moved.order == (2, 1, 3) and moved.entering == () and moved.leaving == ()
    new_on_top = row_changes([a, b, c], [d, a, b], key=key)
    assert (new_on_top.entering, new_on_top.leaving, new_on_top.order) == ((d,), (3,), (4, 1, 2))


def test_the_same_pair_asked_again_gets_the_same_answer_without_comparing_again() -> None:
    compared: list[int] = []

    def counting_key(row: Row) -> int:
        compared.append(row.id)
        return row.id

    before, after = [Row(1, 'Open'), Row(2, 'Open')], [Row(1, 'Open'), Row(2, 'Closed')]
    first = row_changes(before, after, key=counting_key)
    asked_once = len(compared)
    for _ in range(999):  # every other tab that showed `before` and now shows `after`
        assert row_changes(before, after, key=counting_key) is first
    assert len(compared) == asked_once
    assert row_changes(after, before, key=counting_key).changed == tuple(before)  # another pair: compared anew


class RowLabel(ui.label):
    built = 0

    def __init__(self, row: Row) -> None:
        super().__init__()
        RowLabel.built += 1
        self.update_row(row)

    def update_row(self, row: Row) -> None:
        self.set_text(f'{row.id} {row.status}')


async def test_a_new_row_on_top_takes_the_element_of_the_row_that_left_and_the_order_is_right(user: User) -> None:
    rows = [Row(n, 'Open') for n in range(1, 4)]
    views: dict[int, RowLabel] = {}
    made: list[ui.column] = []

    @ui.page('/rows')
    def page() -> None:
        with ui.column() as column:
            for row in rows:
                views[row.id] = RowLabel(row)
        made.append(column)

    await user.open('/rows')
    container = made[0]
    built_before, elements = RowLabel.built, {id(view) for view in views.values()}
    newer = [Row(4, 'Open'), rows[0], Row(2, 'Closed')]
    apply_changes(container, views, row_changes(rows, newer, key=key), key=key, build=RowLabel)
    assert RowLabel.built == built_before  # row 3 left, and lent its element to row 4
    assert {id(view) for view in views.values()} == elements
    assert [child.text for child in container.default_slot.children] == ['4 Open', '1 Open', '2 Closed']

    longer = [Row(5, 'Open'), *newer]
    apply_changes(container, views, row_changes(newer, longer, key=key), key=key, build=RowLabel)
    assert RowLabel.built == built_before + 1  # nothing left: the new row is built
    assert [child.text for child in container.default_slot.children] == ['5 Open', '4 Open', '1 Open', '2 Closed']
    await user.should_see('5 Open')
