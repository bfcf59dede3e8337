"""A request's status as a coloured chip; the colour follows the status kind."""

from __future__ import annotations

from nicegui import ui

from ..i18n import t

COLORS = {'open': 'primary', 'active': 'orange-8', 'closed': 'grey-7'}


class StatusChip(ui.badge):
    _color = ''

    def show(self, name: str, kind: str) -> None:
        """Sends nothing when nothing changed: a request's chip is shown again in every open tab on each message."""
        self.set_text(t(name))
        color = COLORS.get(kind, 'primary')
        if color != self._color:  # props() parses its string and sends the element, whatever it holds
            self._color = color
            self.props(f'color={color}')


def status_chip(name: str, kind: str) -> StatusChip:
    chip = StatusChip().classes('text-sm px-2 py-1').props('role=none')
    chip.show(name, kind)
    return chip
