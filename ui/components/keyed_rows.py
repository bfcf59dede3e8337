"""Keep a container's row elements in step with rows read again: update, add, move, drop — never rebuild all."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, Protocol, TypeVar

from nicegui import ui

R = TypeVar('R')


class RowView(Protocol):
    def update_row(self, row: Any) -> None: ...

    def move(self, target_container: ui.element | None = None, target_index: int = -1) -> None: ...


def sync_rows(container: ui.element, views: dict[Hashable, Any], rows: Sequence[R], *, key: Callable[[R], Hashable],
              build: Callable[[R], RowView]) -> None:
    """Make `container` show `rows` in order, reusing the element of each row already shown."""
    wanted = {key(row) for row in rows}
    for gone in [k for k in views if k not in wanted]:
        container.remove(views.pop(gone))
    for index, row in enumerate(rows):
        view = views.get(key(row))
        if view is None:
            with container:
                view = views[key(row)] = build(row)
        else:
            view.update_row(row)
        if container.default_slot.children.index(view) != index:
            view.move(target_index=index)
