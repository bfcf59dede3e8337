"""The single-page app: one root page with the header, and sub pages routed inside it."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping

from nicegui import Client, app, background_tasks, ui
from starlette.requests import Request
from starlette.responses import Response

from domain.desk import Desk
from domain.events import SessionsRevoked
from patches.sub_pages import SubPages

from . import audit_export, downloads, pacer
from .components import alerts
from .components.attachments import COMPOSER_CSS
from .components.not_found import not_found
from .header import header
from .i18n import from_accept_language, language, set_language, t
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
from .presence import report_staff
from .tab import SESSION, Tab
from .when import BROWSER_ZONE, ZONE, ask_browser, set_zone

log = logging.getLogger(__name__)
current: Desk | None = None  # the running desk, for tests and tools that start the app through main.py


def stop() -> None:
    """The server is stopping: open pages no longer refresh on their own (called before the database closes)."""
    pacer.stop_all()


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
    routes = {pattern: whole_path_only(pattern, builder) for pattern, builder in routes.items()}

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
        ui.add_css(COMPOSER_CSS)
        tab = Tab(desk=desk, user=user, live=LiveTab(desk.hub, client), storage=app.storage.user,
                  providers=dict(providers or {}), address=browser_address(client.request))
        use_zone(tab, client)
        await header(tab, dark)
        pages = SubPages(routes, data={'tab': tab}, not_found=not_found, failed=sub_page_failed) \
            .classes('w-full max-w-screen-xl mx-auto p-0 sm:p-4')  # a phone has the page's own margin only
        tab.account_changed.append(lambda: use_zone(tab, client))  # before the page is built again
        tab.account_changed.append(lambda: follow_preferences(tab, dark))
        tab.account_changed.append(pages.refresh)
        await alerts.watch(tab, pages)  # staff are told when a customer writes, whatever page they are on
        if BROWSER_ZONE not in app.storage.user:
            background_tasks.create(learn_browser_zone(tab, client, pages), name='ask the browser its time zone')
        client.on_delete(tab.close)
        report_staff(tab, client)  # agents with the desk open: the chat widgets say someone is online
        # Every tab hears of every revocation (rare) and checks whether it is about its own user.
        tab.live.watch(SessionsRevoked, lambda event: session_ended(tab, event), container=pages)

    return root


def follow_preferences(tab: Tab, dark: ui.dark_mode) -> None:
    """Someone just signed in within this tab: their saved theme and language, as their next page load would show.
    Runs before the page and the header's account parts are built again, so those speak the new language."""
    if tab.user is None:
        return
    if tab.user.theme:
        dark.set_value(tab.user.theme == 'dark')
    if tab.user.locale and tab.user.locale != language():
        set_language(tab.user.locale)


def use_zone(tab: Tab, client: Client) -> str:
    """Show this tab's times in the zone chosen on the profile, else the browser's, else UTC."""
    return set_zone(client, (tab.user.time_zone if tab.user else None) or tab.storage.get(BROWSER_ZONE))


async def learn_browser_zone(tab: Tab, client: Client, pages: SubPages) -> None:
    """Ask the browser its zone once per browser session; if the page was drawn in another one, draw it again."""
    name = await ask_browser(client)
    if name is None or pages.is_deleted:
        return
    tab.storage[BROWSER_ZONE] = name
    before = client.storage.get(ZONE)
    if use_zone(tab, client) != before:
        with pages:
            pages.refresh()


def whole_path_only(pattern: str, builder: Callable[..., object]) -> Callable[..., object]:
    """`builder`, drawing nothing when the address goes on past its pattern (/no-such-page matches '/' with
    '/no-such-page' left over): the sub pages then show only the "not found" page. Without this the board, built
    in a background task, appeared under the notice after NiceGUI had cleared the frame for it."""
    depth = len(segments(pattern))
    if getattr(builder, 'nested_pages', False):  # its own nested sub pages match the rest (ui.pages.with_nested_pages)
        return builder

    @functools.wraps(builder)  # the same signature: NiceGUI passes arguments by the builder's parameter names
    def build(**kwargs: object) -> object:
        if len(segments(ui.context.client.sub_pages_router.current_path)) != depth:
            return None
        if isinstance(tab := kwargs.get('tab'), Tab):  # a builder that shows nothing live takes no tab
            tab.live.page_begins()
        return builder(**kwargs)

    return build


def segments(path: str) -> list[str]:
    return [part for part in path.split('?')[0].split('#')[0].split('/') if part]


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
