"""/admin/widgets: the chat widgets other sites embed; admins create and change them, everyone else finds nothing."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.errors import DomainError, PermissionDenied
from storage.widgets import WidgetRow

from ..components.not_found import refused
from ..components.widget_card import WidgetCard
from ..components.widget_dialog import widget_dialog
from ..i18n import error_text, t
from ..tab import Tab


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/admin/widgets'] = admin_widgets


async def admin_widgets(tab: Tab) -> None:
    actor_id = tab.user.id if tab.user else None
    try:
        widgets = await tab.desk.widgets.all(actor_id=actor_id)
        queues = await tab.desk.queues.list_queues(actor_id=actor_id)
        secrets = await tab.desk.widgets.secrets(actor_id=actor_id, widget_ids=[widget.id for widget in widgets])
    except PermissionDenied as error:  # a visitor is asked to sign in, anyone else told they may not
        refused(tab, error)
        return
    ui.page_title(f'{t("Widgets")} · Switchboard')
    request = ui.context.client.request
    desk_url = str(request.base_url).rstrip('/')
    queue_names = {queue.id: queue.name for queue in queues}
    with ui.row().classes('w-full items-baseline gap-2'):
        ui.label(t('Administration')).classes('text-h5 text-grey-7')
        ui.label('→').classes('text-h5 text-grey-7').props('aria-hidden=true')
        ui.label(t('Widgets')).classes('text-h5').props('role=heading aria-level=1')
        ui.space()
        new = ui.button(t('New widget'), icon='add').mark('new-widget')
    ui.label(t('A chat for your own website: visitors write without an account, and their conversations arrive '
               'in the inbox as tickets.')).classes('text-body2 text-grey-7')
    cards = ui.column().classes('w-full gap-4')
    empty = ui.label(t('No widgets yet.')).classes('text-grey-7')
    empty.set_visibility(not widgets)

    async def edit(card: WidgetCard) -> None:
        try:
            fresh = await tab.desk.queues.list_queues(actor_id=await tab.actor_id())
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            return
        saved = await widget_dialog(tab, fresh, card.widget)
        if saved is not None:
            card.show(saved[0])

    def add(widget: WidgetRow, secret: str) -> WidgetCard:
        with cards:
            return WidgetCard(tab, widget, desk_url=desk_url, queue_names=queue_names, on_edit=edit, secret=secret)

    async def create() -> None:
        saved = await widget_dialog(tab, queues)
        if saved is None:
            return
        widget, secret = saved
        add(widget, secret or '')
        empty.set_visibility(False)

    new.on_click(create)
    for widget in widgets:
        add(widget, secrets.get(widget.id, ''))
