"""A part of a page built again when asked (the header's parts after a sign-in or sign-out).

ui.refreshable would do, but it and its targets point at each other: a reference cycle per use, so a closed tab's
header, and every element in it, waited for the garbage collector, which patches.gc_policy keeps away for minutes. This
element holds its build function and nothing holds it but the page: it goes with the page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from ..weakly import weakly


class Rebuilt(ui.element):
    def __init__(self, build: Callable[[], Awaitable[None] | None]) -> None:
        super().__init__()
        self._build = weakly(build)  # a method of an object that holds this element (ui.components.nav_drawer)

    async def build(self) -> None:
        """Replace what is shown with a fresh build."""
        build = self._build()
        if build is None:  # its owner is gone with the page
            return
        self.clear()
        with self:
            pending = build()
            if pending is not None:
                await pending
