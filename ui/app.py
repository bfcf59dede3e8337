"""The single-page app: one root page with the header, and sub pages routed inside it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from nicegui import app, ui
from starlette.requests import Request
from starlette.responses import Response

from domain.desk import Desk
from domain.events import SessionsRevoked
from patches.sub_pages import SubPages

from . import audit_export, downloads
from .components.not_found import not_found
from .header import header
from .i18n import from_accept_language, set_language, t
from .live import LiveTab
from .pages import (
    admin_audit,
    admin_jobs,
    admin_queues,
    admin_users,
    admin_webhooks,
    admin_widgets,
    inbox,
    login,
    my_responses,
    order_detail,
    orders,
    profile,
    request_detail,
    request_list,
    rules,
    support,
    ticket,
    widget,
)
from .tab import SESSION, Tab

log = logging.getLogger(__name__)
current: Desk | None = None  # the running desk, for tests and tools that start the app through main.py


def register(desk: Desk, *, default_language: str = 'en',
             providers: Mapping[str, str] | None = None) -> Callable[[], object]:
    """Build the routes and return the root page function for `ui.run`; `providers`: OAuth sign-in, key -> name."""
    routes: dict[str, Callable[..., object]] = {}
    for page in (login, profile, request_list, request_detail, my_responses, support, inbox, ticket, admin_queues,
                 admin_users, orders, order_detail):
        page.register(routes)
    routes['/'] = start_page
    admin_jobs.register(routes)
    admin_audit.register(routes)
    admin_webhooks.register(routes)
    rules.register(routes)
    admin_widgets.register(routes)
    downloads.register(desk)
    audit_export.register(desk)
    widget.register(desk)  # the chat widget's files and loader; its page is below, outside the app's frame

    async def root() -> Response | None:
        client = ui.context.client
        if found := widget.PAGE.match(client.request.url.path):  # in other sites' frames: no header, no session
            return await widget.widget_page(desk, client.request, found[1], default_language=default_language)
        user = await desk.accounts.session_user(app.storage.user.get(SESSION))
        stored_lang = app.storage.user.get('lang')
        set_language((user.locale if user else None) or stored_lang
                     or from_accept_language(client.request.headers.get('accept-language'), default_language))
        theme = (user.theme if user else None) or app.storage.user.get('theme')
        dark = ui.dark_mode(theme == 'dark' if theme else None)
        ui.page_title('Switchboard')
        ui.add_css('.sb-uploader .q-uploader__list:empty { display: none; }')  # no empty box under "Attach files"
        tab = Tab(desk=desk, user=user, live=LiveTab(desk.hub, client), storage=app.storage.user,
                  providers=dict(providers or {}), address=browser_address(client.request))
        await header(tab, dark)
        pages = SubPages(routes, data={'tab': tab}, not_found=not_found, failed=sub_page_failed) \
            .classes('w-full max-w-screen-xl mx-auto p-4')
        tab.account_changed.append(pages.refresh)
        client.on_delete(tab.close)
        # Every tab hears of every revocation (rare) and checks whether it is about its own user.
        tab.live.watch(SessionsRevoked, lambda event: session_ended(tab, event), container=pages)

    return root


def browser_address(request: Request) -> str:
    """The browser's address as the rate limits see it (edges/wiring.py sets the rule), for the sign-in throttle."""
    address = getattr(app.state, 'client_address', None)  # absent on an app without the edges
    if address is not None:
        return address(request.scope)
    return request.client.host if request.client else 'unknown'


async def start_page(tab: Tab) -> None:
    """The board for someone signed in; the sign-in page, leading to the board, for a visitor."""
    if tab.user is None:
        login.login_page(tab, redirect_to='/requests')
    else:
        await request_list.request_list(tab)


async def session_ended(tab: Tab, event: SessionsRevoked) -> None:
    """An admin deactivated the user or changed their role: this tab signs out or rebuilds with the new rights."""
    if tab.user is None or tab.user.id != event.user_id:
        return
    user = await tab.desk.accounts.session_user(tab.storage.get(SESSION))
    if user is None:
        tab.signed_out()
        ui.notify(t('Your session has ended. Sign in again to continue.'), color='warning')
    else:
        tab.signed_in(user, tab.storage[SESSION])


def sub_page_failed(path: str, error: Exception) -> None:
    """A sub page raised: the tab's notice in its language (patches.sub_pages shows it in place of NiceGUI's)."""
    log.error('sub page %s failed', path, exc_info=error)
    ui.label(t('Something went wrong. Reload the page or try again later.')).classes('text-negative')
