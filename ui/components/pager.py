"""A list's pager, told the page shown and how many there are, changed only where that differs."""

from __future__ import annotations

from nicegui import ui


def show_pages(pager: ui.pagination, page: int, pages: int) -> None:
    """Assigning a pagination's `max` sends the whole element to the browser even when it is the same number: on a
    board open in 1,000 tabs that was one more element per tab and refresh, for nothing."""
    if pager.max != pages:
        pager.max = pages
    pager.set_value(page)
    pager.set_visibility(pages > 1)
