"""Keep a container's row elements in step with rows read again: update, reuse, move, drop — never rebuild all."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, Protocol, TypeVar

from nicegui import ui

R = TypeVar('R')


class RowView(Protocol):
    def update_row(self, row: Any) -> None:
        """Show `row`: a newer version of the same row, or with `reuse`, possibly another row."""

    def move(self, target_container: ui.element | None = None, target_index: int = -1) -> None: ...


_last_asked: tuple[Sequence[Any], Sequence[Any], list[Any] | None] | None = None


def changed_in_place(previous: Sequence[R], current: Sequence[R], *, key: Callable[[R], Hashable]) -> list[R] | None:
    """The rows of `current` that are not the very rows of `previous`, when both hold the same keys in the same
    order; None when rows came, went or moved (then `sync_rows` has work to do).

    A thousand board tabs show one shared read one after another, each having shown the same read before: the
    answer for the last pair asked is kept, so the comparison is made once, not once per tab. Unchanged rows come
    back as the very same objects (RequestService keeps each row's last version), so `is` says what changed.
    """
    global _last_asked
    if _last_asked is not None and _last_asked[0] is previous and _last_asked[1] is current:
        return _last_asked[2]
    changed: list[R] | None = None
    if len(previous) == len(current) and all(key(old) == key(new) for old, new in zip(previous, current, strict=True)):
        changed = [new for old, new in zip(previous, current, strict=True) if new is not old]
    _last_asked = (previous, current, changed)
    return changed


def sync_rows(container: ui.element, views: dict[Hashable, Any], rows: Sequence[R], *, key: Callable[[R], Hashable],
              build: Callable[[R], RowView], reuse: bool = False) -> None:
    """Make `container` show `rows` in order, reusing the element of each row already shown.

    With `reuse`, a row that leaves lends its elements to a row that enters: changing a few texts in place costs a
    fraction of building a row, and on a busy inbox one row enters and one leaves with nearly every message.
    """
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
