"""An order's left side: title, status (staff move it), customer and times, its fields, and the items with the total."""

from __future__ import annotations

from nicegui import ui

from domain.orders.service import OrderView
from domain.requests.fields import format_money

from ..i18n import t
from ..tab import Tab
from .facts import Facts
from .status_control import StatusControl


class OrderSummary(ui.column):
    """Kept in step with the order: a status change anywhere (staff, the timed rule) updates chip, choices, time."""

    def __init__(self, tab: Tab, view: OrderView) -> None:
        super().__init__()
        self.classes('w-full gap-3')
        self.tab = tab
        self.order_id = view.order.id
        order = view.order
        with self:
            ui.label(f'#{order.id} {order.title}').classes('text-h5 break-words').props('role=heading aria-level=1')
            viewer_id, order_id = tab.user.id if tab.user else None, order.id
            # Live: staff, a rule or the timed workflow may move it while it is shown.
            self.status = StatusControl(tab, order_id, view, label=t('Change status'), live=True, shown=self.show,
                                        read=lambda: tab.desk.orders.open(viewer_id=viewer_id, order_id=order_id))
            with self.status:
                if view.is_staff:
                    ui.link(t('Open it in the desk'), f'/tickets/{order.id}')
            facts = Facts()
            facts.line(t('Customer'), order.author)
            facts.moment(t('Placed'), order.created_at)
            self.updated = facts.moment(t('Last change'), order.updated_at).mark('updated')
            for field in view.fields:
                value = view.values.get(field.key)
                if field.kind == 'items' or value is None:
                    continue
                text = format_money(value, field.currency) if field.kind == 'money' else str(value)
                facts.line(t(field.label), text).classes('whitespace-pre-wrap break-words')
            if order.description:
                ui.label(order.description).classes('whitespace-pre-wrap break-words')
            items_table(view)

    def show(self, view: OrderView) -> None:
        self.status.show(view)
        self.updated.show(view.order.updated_at)


def items_table(view: OrderView) -> None:
    """The line items, each with its amount, and the total under them; names shown as typed, as text."""
    # On a phone the unit price gives way, so the amounts and the total stay in view.
    cells = ('grid grid-cols-[minmax(6rem,1fr)_4rem_7rem] sm:grid-cols-[minmax(7rem,1fr)_4rem_7rem_7rem] '
             'gap-2 w-full px-2')
    narrow_hidden = 'text-right max-sm:hidden'
    with ui.element('div').classes('w-full').props(f'role=table aria-label="{t("Line items")}"').mark('items'):
        with ui.element('div').classes(cells + ' text-caption text-grey-7').props('role=row'):
            for heading, align in (('Item', ''), ('Quantity', 'text-right'), ('Unit price', narrow_hidden),
                                   ('Amount', 'text-right')):
                ui.label(t(heading)).classes(align).props('role=columnheader')
        for item in view.items:
            with ui.element('div').classes(cells + ' py-1 border-b border-grey-4').props('role=row'):
                ui.label(item.name).classes('break-words').props('role=cell')
                ui.label(str(item.quantity)).classes('text-right').props('role=cell')
                ui.label(format_money(item.unit_price, view.currency)).classes(narrow_hidden).props('role=cell')
                ui.label(format_money(item.amount, view.currency)).classes('text-right').props('role=cell')
        with ui.element('div').classes(cells + ' py-2 text-weight-bold').props('role=row'):
            ui.label(t('Total')).props('role=rowheader').classes('col-span-2 sm:col-span-3 text-right')
            ui.label(format_money(view.total, view.currency)).classes('text-right').props('role=cell') \
                .mark('order-total')
