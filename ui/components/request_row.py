"""One line of the request list, one element, rewritten when its request changes (see html_cells)."""

from __future__ import annotations

from nicegui import ui

from domain.requests.views import RequestRow

from ..i18n import t
from ..when import when, when_html
from .html_cells import Cells, HtmlRow, badge, cell, joined, link, text_cell

# Below 768 px two lines per request: the title across the row (wrapping to a second line rather than shrinking to
# nothing), then its status, author and last update. From 768 px one line of title, status, author and update; from
# 1280 px created and responses join, when the title keeps room beside them and the drawer (232 px from 1024 px).
GRID = ('grid grid-cols-[auto_minmax(0,1fr)_auto] md:grid-cols-[minmax(0,1fr)_8rem_8rem_10rem] '
        'xl:grid-cols-[minmax(0,3fr)_8rem_8rem_10rem_10rem_6rem] gap-x-2 gap-y-1 items-center w-full')
WIDE = 'max-xl:hidden'  # cells shown from 1280 px only
HEADINGS = (('Title', ''), ('Status', ''), ('Author', ''), ('Created', WIDE), ('Updated', ''), ('Responses', WIDE))


def list_header() -> None:
    with ui.element('div').classes(GRID + ' px-2 text-caption text-grey-7 max-md:hidden').props('role=row'):
        for heading, classes in HEADINGS:
            ui.label(t(heading)).props('role=columnheader').classes(classes)


class RequestRowView(HtmlRow[RequestRow]):
    MARKER = 'request-row'
    CLASSES = GRID + ' px-2 py-1 max-md:py-2 border-b border-grey-4'

    @staticmethod
    def cells(row: RequestRow) -> Cells:
        status, created, updated = t(row.status), when(row.created_at), when(row.updated_at)
        return joined([cell(link(row.title, f'/requests/{row.id}', 'font-medium'),
                            'col-span-3 md:col-span-1 md:truncate max-md:line-clamp-2 max-md:break-words'),
                       cell(badge(status, row.status_kind)),
                       text_cell(row.author, 'truncate'),
                       cell(when_html(row.created_at), WIDE), cell(when_html(row.updated_at), 'max-md:text-caption'),
                       text_cell(str(row.response_count), WIDE)],
                      (row.title, status, row.author, created, updated, str(row.response_count)))
