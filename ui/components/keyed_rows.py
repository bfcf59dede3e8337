"""Keep a container's row elements in step with rows read again: update, reuse, move, drop — never rebuild all."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from nicegui import ui

R = TypeVar('R')
Key = Callable[[Any], Hashable]


class RowView(Protocol):
    def update_row(self, row: Any) -> None:
        """Show `row`: a newer version of the same row, or with `reuse`, possibly another row."""

    def move(self, target_container: ui.element | None = None, target_index: int = -1) -> None: ...


@dataclass(frozen=True)
class Changes(Generic[R]):
    """What turns a list of rows shown into the rows read now, worked out from their keys alone."""

    changed: tuple[R, ...]  # shown before under the same key, now another version
    entering: tuple[R, ...]  # keys not shown before
    leaving: tuple[Hashable, ...]  # keys shown before and gone now
    order: tuple[Hashable, ...]  # the keys as they are to show
    in_place: bool  # the same keys in the same order: only `changed` has work to do


_last_asked: tuple[Sequence[Any], Sequence[Any], Changes[Any]] | None = None


def row_changes(previous: Sequence[R], current: Sequence[R], *, key: Key) -> Changes[R]:
    """How `current` differs from `previous`, the rows a tab showed before.

    A thousand board tabs show one shared read one after another, each having shown the same read before: the
    answer for the last pair asked is kept, so the comparison is made once, not once per tab. Unchanged rows come
    back as the very same objects (RequestService keeps each row's last version), so `is` says what changed.
    """
    global _last_asked
    if _last_asked is not None and _last_asked[0] is previous and _last_asked[1] is current:
        return _last_asked[2]
    before = {key(row): row for row in previous}
    order = tuple(key(row) for row in current)
    wanted = set(order)
    changes = Changes(changed=tuple(row for k, row in zip(order, current, strict=True)
                                    if k in before and before[k] is not row),
                      entering=tuple(row for k, row in zip(order, current, strict=True) if k not in before),
                      leaving=tuple(k for k in before if k not in wanted),
                      order=order, in_place=order == tuple(before))
    _last_asked = (previous, current, changes)
    return changes


def apply_changes(container: ui.element, views: dict[Hashable, Any], changes: Changes[R], *, key: Key,
                  build: Callable[[R], RowView]) -> None:
    """Make `container`, which shows the rows `changes` was worked out from, show the rows read now.

    A row that leaves lends its element to a row that enters (a few texts changed in place cost a fraction of
    building a row: on a busy inbox one row enters and one leaves with nearly every message), and the new order is
    given in one step: moving rows one by one cost every open board more than the row it showed (scenario 6).
    """
    for row in changes.changed:
        views[key(row)].update_row(row)
    if changes.in_place:
        return
    spare = [views.pop(gone) for gone in changes.leaving]
    for row in changes.entering:
        if spare:
            view = views[key(row)] = spare.pop()
            view.update_row(row)
        else:
            with container:
                views[key(row)] = build(row)
    for view in spare:
        container.remove(view)
    children = container.default_slot.children
    ordered = [views[k] for k in changes.order]
    if children != ordered:
        children[:] = ordered
        container.update()


def sync_rows(container: ui.element, views: dict[Hashable, Any], rows: Sequence[R], *, key: Key,
              build: Callable[[R], RowView], reuse: bool = False) -> None:
    """Make `container` show `rows` in order, reusing the element of each row already shown (see apply_changes,
    for a container known to show a list of rows read before)."""
    children = container.default_slot.children
    if len(children) == len(rows) == len(views) and all(views.get(key(row)) is view
                                                          for row, view in zip(rows, children, strict=True)):
        for row, view in zip(rows, children, strict=True):  # the same rows in the same places: the common case
            view.update_row(row)
        return
    wanted = {key(row) for row in rows}
    spare = [views.pop(gone) for gone in [k for k in views if k not in wanted]]
    if not reuse:
        for view in spare:
            container.remove(view)
        spare = []
    for index, row in enumerate(rows):
        view = views.get(key(row))
        if view is None and spare:
            view = views[key(row)] = spare.pop()
            view.update_row(row)
        elif view is None:
            with container:
                view = views[key(row)] = build(row)
        else:
            view.update_row(row)
        children = container.default_slot.children  # a row in its place is the rule: look there, not search
        if index >= len(children) or children[index] is not view:
            view.move(target_index=index)
    for view in spare:
        container.remove(view)
