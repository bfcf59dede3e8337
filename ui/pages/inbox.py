"""/inbox and /inbox/<id>: the staff desk — the ticket list | the conversation | the context, one page, live.

The list is built once per visit of /inbox; choosing a ticket changes only the nested sub page beside it (NiceGUI's
sub pages: the URL follows, so reload, back and deep links work, and the list keeps its filters and place).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from nicegui import events, ui

from domain import permissions
from domain.errors import NotFound, PermissionDenied
from patches.sub_pages import SubPages

from ..components.desk_layout import DESK, DETAIL, LIST, add_css, show_one
from ..components.desk_list import DeskList
from ..components.desk_row import ticket_path
from ..components.desk_ticket import DeskTicket, ticket_title
from ..components.not_found import no_access, not_found, refused, sign_in_needed
from ..i18n import t
from ..tab import Tab
from . import path_id, with_nested_pages

log = logging.getLogger(__name__)
STEPS = {'ArrowDown': 1, 'ArrowUp': -1}


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/inbox'] = inbox_page  # /inbox/<id> too: the nested sub pages take the rest of the path


@with_nested_pages
def inbox_page(tab: Tab) -> Awaitable[None] | None:
    """Built at once, before anything is read: the sub pages router looks for the nested sub pages right after
    starting the page, and without them would take /inbox/<id> for an unknown address."""
    if tab.user is None:  # the services check again on every read
        sign_in_needed()
        return None
    if not permissions.is_staff(tab.user):
        no_access()
        return None
    add_css()
    return StaffDesk(tab).load()


class StaffDesk(ui.row):
    def __init__(self, tab: Tab) -> None:
        super().__init__()
        self.classes(DESK).mark('desk')
        self.tab = tab
        self.tickets: DeskList | None = None
        self.selected: int | None = None
        with self:
            self.list_pane = ui.column().classes(LIST)
            with ui.element('div').classes(DETAIL) as self.detail:
                SubPages({'/': self.nothing_chosen, '/{ticket_id}': self.ticket}, not_found=self.unknown,
                         failed=self.failed)
            ui.keyboard(on_key=self.key)

    async def load(self) -> None:
        """The list's filters and first page."""
        try:
            options = await self.tab.desk.tickets.options(viewer_id=self.tab.user.id if self.tab.user else None)
        except PermissionDenied as error:  # deactivated or demoted meanwhile
            self.clear()
            with self:
                refused(self.tab, error)
            return
        with self.list_pane:
            self.tickets = DeskList(self.tab, options).classes('w-full')
        self.tickets.select(self.selected)
        await self.tickets.show(1)

    def nothing_chosen(self) -> None:
        self._chosen(None)
        ui.page_title(f'{t("Inbox")} · Switchboard')
        with ui.column().classes('w-full h-full items-center justify-center'):
            ui.icon('forum', size='xl').classes('text-grey-5')
            ui.label(t('Choose a ticket from the list.')).classes('text-grey-7')

    async def ticket(self, ticket_id: str) -> None:
        chosen = path_id(ticket_id)
        self._chosen(chosen)
        try:
            view = await self.tab.desk.tickets.ticket(viewer_id=self.tab.user.id if self.tab.user else None,
                                                      request_id=chosen or 0)
        except (NotFound, PermissionDenied):
            self.unknown()
            return
        ui.page_title(ticket_title(view))
        shown = DeskTicket(self.tab, view)
        await shown.opened()

    def unknown(self) -> None:
        with ui.column().classes('w-full gap-2'):
            self._back()
            not_found(t('This ticket does not exist.'))

    def failed(self, path: str, error: Exception) -> None:
        log.error('desk sub page %s failed', path, exc_info=error)
        with ui.column().classes('w-full gap-2'):
            self._back()
            ui.label(t('Something went wrong. Reload the page or try again later.')).classes('text-negative')

    def _back(self) -> None:
        ui.link(t('Back to the list'), '/inbox').classes('md:hidden')

    def _chosen(self, ticket_id: int | None) -> None:
        """The list marks the ticket; on a phone the URL decides which pane is on screen."""
        self.selected = ticket_id
        if self.tickets is not None:
            self.tickets.select(ticket_id)
        show_one(self.list_pane, 'max-md', ticket_id is not None)
        show_one(self.detail, 'max-md', ticket_id is None)

    def key(self, event: events.KeyEventArguments) -> None:
        """Up and down move through the list (not while typing: ui.keyboard ignores keys in inputs)."""
        step = STEPS.get(event.key.name)
        if step is None or not event.action.keydown or self.tickets is None:
            return
        target = self.tickets.neighbour(step)
        if target is not None and target != self.tickets.selected:
            ui.navigate.to(ticket_path(target))
