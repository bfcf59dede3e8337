"""/orders: a customer's orders (every order for staff), newest first, by status and page; rows change live."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from nicegui import ui

from domain.events import RequestChanged, RequestCreated
from domain.orders.service import OrderPage, OrderQuery

from ..components.keyed_rows import sync_rows
from ..components.order_dialog import new_order_dialog
from ..components.order_row import OrderRowView, list_header
from ..components.pager import show_pages
from ..i18n import t
from ..pacer import Pacer
from ..tab import Tab

PACE = Pacer(0.25)  # the timed rule moves many orders at once: open lists refresh a few times a second at most


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/orders'] = orders_page


async def orders_page(tab: Tab) -> None:
    ui.label(t('Orders')).classes('text-h5').props('role=heading aria-level=1')
    if tab.user is None:
        ui.label(t('Sign in to place orders and follow them.'))
        ui.link(t('Sign in'), '/login?redirect_to=/orders')
        return
    viewer_id = tab.user.id
    form = await tab.desk.orders.form()
    rows: dict[int, OrderRowView] = {}
    refreshing = asyncio.Lock()

    async def show(page: int = 1) -> None:
        """Read the page and change only what differs from what is shown."""
        async with refreshing:
            result = await tab.desk.orders.list(viewer_id=viewer_id,
                                                query=OrderQuery(status_id=status_filter.value or None, page=page))
            if container.is_deleted:
                return
            with container:
                _apply(result)

    def _apply(result: OrderPage) -> None:
        sync_rows(container, rows, result.rows, key=lambda row: row.id, build=OrderRowView, reuse=True)
        empty.set_text(t('No orders in this status.') if status_filter.value else t('No orders yet.'))
        empty.set_visibility(not result.rows)
        show_pages(pager, result.page, result.pages)
        summary.set_text(t('Orders: more than {count}', count=result.total) if result.capped
                         else t('Orders: {count}', count=result.total))

    def created(event: RequestCreated) -> None:
        if event.queue_id == form.queue_id:
            PACE.request(container, lambda: show(pager.value))

    def changed(event: RequestChanged) -> None:
        # Rows are in creation order: a change elsewhere moves nothing into this page, unless it enters the status
        # the list is narrowed to.
        if event.request_id in rows or status_filter.value:
            PACE.request(container, lambda: show(pager.value))

    with ui.row().classes('w-full items-end gap-4'):
        status_filter = ui.select({0: t('All statuses'), **{s.id: t(s.name) for s in form.statuses}}, value=0,
                                  label=t('Status')).classes('w-40')
        ui.space()
        dialog = new_order_dialog(tab, form)
        ui.button(t('New order'), icon='add_shopping_cart', on_click=dialog.open).mark('new-order')
    status_filter.on_value_change(lambda: show(1))
    with ui.element('div').classes('w-full').props(f'role=table aria-label="{t("Orders")}"'):
        list_header()
        container = ui.column().classes('w-full gap-0').props('role=rowgroup').mark('order-list')
    empty = ui.label().classes('text-grey-7 p-2')
    with ui.row().classes('w-full items-center justify-between'):
        summary = ui.label()
        pager = ui.pagination(1, 1, direction_links=True, on_change=lambda e: show(e.value))
    await show(1)
    tab.live.watch(RequestCreated, created, container=container, resync=lambda: show(pager.value))
    tab.live.watch(RequestChanged, changed, container=container)
