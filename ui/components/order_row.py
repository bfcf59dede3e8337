"""One line of the order list, updated in place when its order changes."""

from __future__ import annotations

from nicegui import ui

from domain.orders.service import OrderRow
from domain.requests.fields import format_money

from ..i18n import t
from ..when import Moment
from .status_chip import status_chip

# On a phone: the order across the row (wrapping rather than cut to a few letters), then its status and its total.
# From 640 px one line of order, status and total; from 1280 px customer, item count and time join, when the order's
# title keeps room beside them and the drawer (232 px from 1024 px).
GRID = ('grid grid-cols-[minmax(0,1fr)_auto] sm:grid-cols-[minmax(0,1fr)_8rem_7rem] '
        'xl:grid-cols-[minmax(0,3fr)_8rem_minmax(5rem,1fr)_4rem_9rem_10rem] gap-x-2 gap-y-1 items-center w-full')
WIDE = 'max-xl:hidden'
HEADINGS = (('Order', ''), ('Status', ''), ('Customer', WIDE), ('Items', WIDE), ('Total', 'text-right'),
            ('Last change', WIDE))


def list_header() -> None:
    with ui.element('div').classes(GRID + ' px-2 text-caption text-grey-7 max-sm:hidden').props('role=row'):
        for heading, classes in HEADINGS:
            ui.label(t(heading)).props('role=columnheader').classes(classes)


class OrderRowView(ui.element):
    def __init__(self, row: OrderRow) -> None:
        super().__init__('div')
        self.classes(GRID + ' px-2 py-1 max-sm:py-2 border-b border-grey-4').props('role=row') \
            .mark(f'order-row-{row.id}')
        self.row = row
        with self:
            with ui.element('div').props('role=cell') \
                    .classes('max-sm:col-span-2 sm:truncate max-sm:line-clamp-2 max-sm:break-words'):
                self.title = ui.link(f'#{row.id} {row.title}', f'/orders/{row.id}').classes('font-medium')
            with ui.element('div').props('role=cell'):
                self.status = status_chip(row.status, row.status_kind)
            self.author = ui.label(row.author).classes(f'truncate {WIDE}').props('role=cell')
            self.items = ui.label(str(row.item_count)).classes(WIDE).props('role=cell')
            self.total = ui.label(format_money(row.total, row.currency)).props('role=cell').classes('text-right')
            self.updated = Moment(row.updated_at).classes(WIDE).props('role=cell')

    def update_row(self, row: OrderRow) -> None:
        """Show `row`, possibly another order than before (see keyed_rows.sync_rows)."""
        if row == self.row:
            return
        if row.id != self.row.id:
            self.mark(f'order-row-{row.id}')
            self.title.props['href'] = f'/orders/{row.id}'
            self.author.set_text(row.author)
        self.row = row
        self.title.set_text(f'#{row.id} {row.title}')
        self.status.show(row.status, row.status_kind)
        self.items.set_text(str(row.item_count))
        self.total.set_text(format_money(row.total, row.currency))
        self.updated.show(row.updated_at)
