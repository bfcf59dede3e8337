"""The author's "Responses (N)": one entry per responder with the last message and an unread count."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from domain.requests.views import ConversationRow

from ..i18n import t
from ..when import Moment
from .keyed_rows import sync_rows


class ResponseEntry(ui.item):
    def __init__(self, row: ConversationRow, on_open: Callable[[int], Awaitable[None]]) -> None:
        super().__init__(on_click=lambda: on_open(row.id))
        self.props('clickable').classes('w-full rounded-borders')
        self.mark(f'response-{row.id}', f'response-from-{row.counterpart_id}')
        self.row = row
        with self:
            with ui.item_section():
                self.name = ui.item_label(row.counterpart).classes('font-medium')
                self.last = ui.item_label(row.last_message).props('caption lines=1')
            with ui.item_section().props('side'):
                self.stamp = Moment(row.last_message_at).classes('text-caption text-grey-7')
                self.unread = ui.badge(str(row.unread), color='negative').props(
                    f'aria-label="{t("{count} unread", count=row.unread)}"')
        self.unread.set_visibility(row.unread > 0)

    def update_row(self, row: ConversationRow) -> None:
        if row == self.row:
            return
        self.row = row
        self.last.set_text(row.last_message)
        self.stamp.show(row.last_message_at)
        self.unread.set_text(str(row.unread))
        self.unread.set_visibility(row.unread > 0)

    def select(self, selected: bool) -> None:
        if selected:
            self.props('active')
        else:
            self.props(remove='active')


class ResponsesList(ui.column):
    def __init__(self, on_open: Callable[[int], Awaitable[None]]) -> None:
        super().__init__()
        self.classes('w-full gap-1')
        self._on_open = on_open
        self.entries: dict[int, ResponseEntry] = {}
        with self:
            self.heading = ui.label().classes('text-h6').props('role=heading aria-level=2')
            self.list = ui.list().classes('w-full').props('separator')
            self.empty = ui.label(t('No responses yet.')).classes('text-grey-7')

    def show(self, rows: list[ConversationRow], selected: int | None) -> None:
        """Update entries in place, add new ones, keep the order of latest activity."""
        self.heading.set_text(t('Responses ({count})', count=len(rows)))
        sync_rows(self.list, self.entries, rows, key=lambda row: row.id,
                  build=lambda row: ResponseEntry(row, self._on_open))
        for conversation_id, entry in self.entries.items():
            entry.select(conversation_id == selected)
        self.empty.set_visibility(not rows)
