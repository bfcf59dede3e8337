"""A record's facts as name-value lines in two columns, as the request, order and ticket show them."""

from __future__ import annotations

from datetime import datetime

from nicegui import ui

from ..when import Moment


class Facts(ui.grid):
    def __init__(self) -> None:
        super().__init__(columns='auto 1fr')
        self.classes('gap-x-4 gap-y-1 text-body2')

    def line(self, name: str, value: str = '') -> ui.label:
        """Add a line; returns its value, for the facts that change while shown."""
        with self:
            ui.label(name).classes('text-grey-7')
            return ui.label(value)

    def moment(self, name: str, moment: datetime | None = None) -> Moment:
        """A line with a time, in the viewer's zone; `show` it again when it changes."""
        with self:
            ui.label(name).classes('text-grey-7')
            return Moment(moment)
