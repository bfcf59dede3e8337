"""One line of the request list, updated in place when its request changes."""

from __future__ import annotations

from nicegui import ui

from domain.views import RequestRow

from ..i18n import t, when
from .status_chip import status_chip

GRID = 'grid grid-cols-[minmax(0,3fr)_8rem_8rem_10rem_10rem_6rem] gap-2 items-center w-full'


def list_header() -> None:
    with ui.element('div').classes(GRID + ' px-2 text-caption text-grey-7').props('role=row'):
        for heading in ('Title', 'Status', 'Author', 'Created', 'Updated', 'Responses'):
            ui.label(t(heading)).props('role=columnheader')


class RequestRowView(ui.element):
    def __init__(self, row: RequestRow) -> None:
        super().__init__('div')
        self.classes(GRID + ' px-2 py-1 border-b border-grey-4').props('role=row').mark(f'request-row-{row.id}')
        self.row = row
        with self:
            with ui.element('div').props('role=cell').classes('truncate'):
                self.title = ui.link(row.title, f'/requests/{row.id}').classes('font-medium')
            with ui.element('div').props('role=cell'):
                self.status = status_chip(row.status, row.status_kind)
            self.author = ui.label(row.author).classes('truncate').props('role=cell')
            self.created = ui.label(when(row.created_at)).props('role=cell')
            self.updated = ui.label(when(row.updated_at)).props('role=cell')
            self.responses = ui.label(str(row.response_count)).props('role=cell')

    def update_row(self, row: RequestRow) -> None:
        """Show `row`, possibly another request than before (see keyed_rows.sync_rows)."""
        if row == self.row:
            return
        if row.id != self.row.id:
            self.mark(f'request-row-{row.id}')
            self.title.props['href'] = f'/requests/{row.id}'
            self.author.set_text(row.author)
            self.created.set_text(when(row.created_at))
        self.row = row
        self.title.set_text(row.title)
        self.status.show(row.status, row.status_kind)
        self.updated.set_text(when(row.updated_at))
        self.responses.set_text(str(row.response_count))
