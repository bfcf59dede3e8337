"""/tickets/{id}: the address notifications, emails and older links use; staff land on the ticket in the desk."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.errors import NotFound, PermissionDenied

from ..components.desk_row import ticket_path
from ..components.not_found import not_found, refused
from ..i18n import t
from ..tab import Tab
from . import path_id


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/tickets/{ticket_id}'] = ticket_page


async def ticket_page(tab: Tab, ticket_id: str) -> None:
    viewer_id = tab.user.id if tab.user else None
    try:  # the same check the desk makes: staff only, and a ticket they may read
        view = await tab.desk.tickets.ticket(viewer_id=viewer_id, request_id=path_id(ticket_id) or 0)
    except PermissionDenied as error:  # before any lookup: nobody but staff learns whether the ticket exists
        refused(tab, error)
        return
    except NotFound:
        not_found(t('This ticket does not exist.'))
        return
    # Replace, then go: the old address leaves no history entry, so "back" does not bounce into the desk again.
    path = ticket_path(view.ticket.id)
    ui.navigate.history.replace(path)
    ui.navigate.to(path)
