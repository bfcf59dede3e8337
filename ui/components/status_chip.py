"""A request's status as a coloured chip; the colour follows the status kind."""

from __future__ import annotations

from nicegui import ui

from ..i18n import t

COLORS = {'open': 'primary', 'active': 'orange-8', 'closed': 'grey-7'}


class StatusChip(ui.badge):
    def show(self, name: str, kind: str) -> None:
        self.set_text(t(name))
        self.props(f'color={COLORS.get(kind, "primary")}')


def status_chip(name: str, kind: str) -> StatusChip:
    chip = StatusChip().classes('text-sm px-2 py-1').props('role=none')
    chip.show(name, kind)
    return chip
