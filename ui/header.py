"""What stays while a user moves between pages: the header (menu, name, unread badge, user menu) and the drawer."""

from __future__ import annotations

import html

from nicegui import ui

from domain.events import UnreadChanged
from domain.requests.unread import Unread
from patches.displayed_texts import ShowsTexts

from .components.account_menu import CSS as ACCOUNT_CSS
from .components.account_menu import AccountMenu
from .components.nav_drawer import NavDrawer
from .components.rebuilt import Rebuilt
from .i18n import t
from .tab import Tab


async def header(tab: Tab, dark: ui.dark_mode) -> None:
    """One line at any width: the menu button (phones), the name, the unread badge, the user menu; the drawer."""
    ui.add_css(ACCOUNT_CSS)
    drawer = NavDrawer(tab)
    with ui.header().classes('items-center no-wrap gap-1 px-2 py-1 bg-primary'):
        ui.button(icon='menu', on_click=drawer.toggle) \
            .props(f'flat round color=white aria-label="{t("Menu")}" title="{t("Menu")}"').classes('lg:hidden') \
            .mark('menu-button')
        ui.link('Switchboard', '/requests').classes('text-h6 text-white no-underline px-2 whitespace-nowrap')
        # The unread badge and the user menu, pushed to the right (ml-auto: no spacer element on every tab), built
        # again together after a sign-in or sign-out: one element around them rather than one each.
        area = Rebuilt(lambda: right_side(tab, dark)).classes('row items-center no-wrap gap-1 ml-auto')
        await area.build()
        tab.account_changed.append(area.build)
    await drawer.build()


async def right_side(tab: Tab, dark: ui.dark_mode) -> None:
    await unread_badge(tab)
    account(tab, dark)


async def unread_badge(tab: Tab) -> None:
    """For a signed-in user: the link to where unread messages are, with their count, kept live."""
    if tab.user is None:
        return
    user_id = tab.user.id
    link = UnreadLink()
    link.show(await tab.desk.conversations.unread_places(user_id=user_id))

    async def update(_event: UnreadChanged) -> None:
        link.show(await tab.desk.conversations.unread_places(user_id=user_id))

    async def resync() -> None:
        await update(UnreadChanged(user_id))

    tab.live.watch(UnreadChanged, update, key=user_id, container=link, resync=resync)


def unread_target(unread: Unread) -> str:
    """Where the unread messages are: the support chat first, an order when only orders have some, else the
    conversations of the board (My responses)."""
    if unread.support:
        return '/support'
    if unread.order_id is not None and unread.orders == unread.total:
        return f'/orders/{unread.order_id}'
    return '/responses'


class UnreadLink(ShowsTexts, ui.html):
    """The link to where the unread messages are, its icon and the unread count as one element rather than three (a
    link, an icon and a q-badge, written here with Quasar's classes)."""

    def __init__(self) -> None:
        super().__init__('', sanitize=False)  # nothing here comes from a user but a count
        self.classes('relative').mark('unread-badge')  # the count floats over the icon's corner
        self.total = -1
        self.href = ''

    def show(self, unread: Unread) -> None:
        total, href = unread.total, unread_target(unread)
        if (total, href) == (self.total, self.href):
            return
        self.total, self.href = total, href
        label = html.escape(t('Unread messages: {count}', count=total))
        icon = 'mark_chat_unread' if total else 'chat_bubble_outline'
        count = (f'<div class="q-badge flex inline items-center no-wrap q-badge--single-line q-badge--floating '
                 f'bg-negative" role="status">{total}</div>') if total else ''
        self.content = (f'<a href="{href}" class="nicegui-link text-white" aria-label="{label}">'
                        f'<i class="q-icon notranslate material-icons" aria-hidden="true" style="font-size: 24px">'
                        f'{icon}</i>{count}</a>')

    def shown_texts(self) -> list[str]:
        """The count, when there is one to show."""
        return [str(self.total)] if self.total > 0 else []


def account(tab: Tab, dark: ui.dark_mode) -> None:
    """A visitor's way in (and the menu with language and theme); a user's menu under their name."""
    if tab.user is None:
        ui.link(t('Sign in'), '/login').classes('text-white whitespace-nowrap px-1')
        ui.link(t('Create account'), '/register').classes('text-white whitespace-nowrap px-1 gt-xs')
    AccountMenu(tab, dark)
