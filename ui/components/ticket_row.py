"""One line of the staff inbox, updated in place; unread tickets stand out."""

from __future__ import annotations

from nicegui import ui

from domain.views import TicketRow

from ..i18n import t, when
from .status_chip import status_chip

GRID = 'grid grid-cols-[1.5rem_minmax(0,3fr)_9rem_8rem_9rem_6rem_6rem_10rem] gap-2 items-center w-full'
HEADINGS = ('', 'Title', 'Customer', 'Status', 'Assignee', 'Queue', 'Channel', 'Updated')


def ticket_list_header() -> None:
    with ui.element('div').classes(GRID + ' px-2 text-caption text-grey-7').props('role=row'):
        for heading in HEADINGS:
            ui.label(t(heading) if heading else '').props('role=columnheader')


class TicketRowView(ui.element):
    def __init__(self, row: TicketRow) -> None:
        super().__init__('div')
        self.classes(GRID + ' px-2 py-1 border-b border-grey-4').props('role=row').mark(f'ticket-row-{row.id}')
        self.row = row
        with self:
            with ui.element('div').props('role=cell'):  # the cell stays when the dot hides, so columns keep place
                self.dot = ui.icon('circle', size='xs', color='primary')
            with ui.element('div').props('role=cell').classes('truncate'):
                self.title = ui.link(row.title, f'/tickets/{row.id}')
            self.customer = ui.label(row.customer).classes('truncate').props('role=cell')
            with ui.element('div').props('role=cell'):
                self.status = status_chip(row.status, row.status_kind)
            self.assignee = ui.label().classes('truncate').props('role=cell')
            self.queue = ui.label(row.queue).classes('truncate').props('role=cell')
            self.channel = ui.label(row.channel).props('role=cell')
            self.updated = ui.label().props('role=cell')
        self._show(row)

    def update_row(self, row: TicketRow) -> None:
        """Show `row`, possibly another ticket than before (see keyed_rows.sync_rows)."""
        if row == self.row:
            return
        if row.id != self.row.id:
            self.mark(f'ticket-row-{row.id}')
            self.title.props['href'] = f'/tickets/{row.id}'
        self.row = row
        self._show(row)

    def _show(self, row: TicketRow) -> None:
        self.title.set_text(row.title)
        self.customer.set_text(row.customer)
        self.queue.set_text(row.queue)
        self.channel.set_text(row.channel)
        self.title.classes(replace='font-bold' if row.staff_unread else 'font-normal')
        self.dot.set_visibility(row.staff_unread)
        self.dot.props(f'aria-label="{t("Unread")}"')
        self.status.show(row.status, row.status_kind)
        self.assignee.set_text(row.assignee or t('Unassigned'))
        self.updated.set_text(when(row.updated_at))
