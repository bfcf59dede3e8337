"""One line of the request list, one element, rewritten when its request changes (see html_cells)."""

from __future__ import annotations

from nicegui import ui

from domain.requests.views import RequestRow

from ..i18n import t
from ..when import when, when_html
from .html_cells import Cells, HtmlRow, badge, cell, joined, link, text_cell

GRID = 'grid grid-cols-[minmax(0,3fr)_8rem_8rem_10rem_10rem_6rem] gap-2 items-center w-full'


def list_header() -> None:
    with ui.element('div').classes(GRID + ' px-2 text-caption text-grey-7').props('role=row'):
        for heading in ('Title', 'Status', 'Author', 'Created', 'Updated', 'Responses'):
            ui.label(t(heading)).props('role=columnheader')


class RequestRowView(HtmlRow[RequestRow]):
    MARKER = 'request-row'
    CLASSES = GRID + ' px-2 py-1 border-b border-grey-4'

    @staticmethod
    def cells(row: RequestRow) -> Cells:
        status, created, updated = t(row.status), when(row.created_at), when(row.updated_at)
        return joined([cell(link(row.title, f'/requests/{row.id}', 'font-medium'), 'truncate'),
                       cell(badge(status, row.status_kind)),
                       text_cell(row.author, 'truncate'),
                       cell(when_html(row.created_at)), cell(when_html(row.updated_at)),
                       text_cell(str(row.response_count))],
                      (row.title, status, row.author, created, updated, str(row.response_count)))
