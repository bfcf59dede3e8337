"""/rules: what the desk does by itself; staff read the rules, admins edit them, and every open page stays current."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.errors import PermissionDenied
from domain.events import RulesChanged

from ..components.not_found import refused
from ..components.rule_list import RuleList
from ..i18n import t
from ..tab import Tab


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/rules'] = rules_page


async def rules_page(tab: Tab) -> None:
    actor_id = tab.user.id if tab.user else None
    try:
        view = await tab.desk.rules.overview(actor_id=actor_id)
        options = await tab.desk.rules.options(actor_id=actor_id)
    except PermissionDenied as error:  # customers and visitors
        refused(tab, error)
        return
    ui.page_title(f'{t("Rules")} · Switchboard')
    with ui.row().classes('w-full items-center'):
        ui.label(t('Rules')).classes('text-h5').props('role=heading aria-level=1')
        ui.space()
        if view.editable:
            ui.button(t('New rule'), icon='add', on_click=lambda: rules.edit(None)).mark('new-rule')
    ui.label(t('Rules run from top to bottom after a request is created, the customer writes, the status changes, '
               'or a request stays in a status too long. What they do shows on the ticket\'s timeline.')) \
        .classes('text-body2 text-grey-7')
    if not view.editable:
        ui.label(t('You can read the rules; only admins change them.')).classes('text-body2 text-grey-7') \
            .mark('read-only')
    rules = RuleList(tab, editable=view.editable)
    await rules.show(view.rules, options)
    # Another admin's save, here or on another instance, redraws the list.
    tab.live.watch(RulesChanged, rules.reload, container=rules, resync=rules.reload)
