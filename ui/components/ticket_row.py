"""One line of the staff inbox, one element rewritten in place (see html_cells); unread tickets stand out."""

from __future__ import annotations

import html

from nicegui import ui

from domain.requests.views import TicketRow

from ..i18n import t
from ..when import when, when_html
from .html_cells import Cells, HtmlRow, badge, cell, joined, link, text_cell

GRID = 'grid grid-cols-[1.5rem_minmax(0,3fr)_9rem_8rem_9rem_6rem_6rem_10rem] gap-2 items-center w-full'
HEADINGS = ('', 'Title', 'Customer', 'Status', 'Assignee', 'Queue', 'Channel', 'Updated')


def ticket_list_header() -> None:
    with ui.element('div').classes(GRID + ' px-2 text-caption text-grey-7').props('role=row'):
        for heading in HEADINGS:
            ui.label(t(heading) if heading else '').props('role=columnheader')


def unread_dot() -> str:
    """Quasar's q-icon of size xs, as ui.icon('circle', size='xs', color='primary') draws it."""
    label = html.escape(t('Unread'), quote=True)
    return (f'<i class="q-icon notranslate material-icons text-primary" style="font-size: 18px" role="img" '
            f'aria-label="{label}">circle</i>')


class TicketRowView(HtmlRow[TicketRow]):
    MARKER = 'ticket-row'
    CLASSES = GRID + ' px-2 py-1 border-b border-grey-4'

    @staticmethod
    def cells(row: TicketRow) -> Cells:
        status, assignee, updated = t(row.status), row.assignee or t('Unassigned'), when(row.updated_at)
        weight = 'font-bold' if row.staff_unread else 'font-normal'
        return joined([cell(unread_dot() if row.staff_unread else ''),  # the cell stays, so columns keep their place
                       cell(link(row.title, f'/tickets/{row.id}', weight), 'truncate'),
                       text_cell(row.customer, 'truncate'), cell(badge(status, row.status_kind)),
                       text_cell(assignee, 'truncate'), text_cell(row.queue, 'truncate'), text_cell(row.channel),
                       cell(when_html(row.updated_at))],
                      (row.title, row.customer, status, assignee, row.queue, row.channel, updated))
