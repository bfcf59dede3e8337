"""The header that stays while a user moves between pages: name, navigation, unread badge, language, theme, account."""

from __future__ import annotations

import html

from nicegui import ui

from domain import permissions
from domain.events import UnreadChanged
from patches.displayed_texts import ShowsTexts

from .components.link_bar import Link, LinkBar
from .components.rebuilt import Rebuilt
from .i18n import LANGUAGES, language, t
from .tab import Tab


async def header(tab: Tab, dark: ui.dark_mode) -> None:
    with ui.header().classes('items-center gap-2 px-4 py-2 bg-primary'):
        navigation(tab)
        await unread_badge(tab)
        language_picker(tab)
        theme_toggle(tab, dark)
        await account(tab)


def navigation(tab: Tab) -> None:
    """The app's name, then the board for everyone; the support chat for customers, the inbox (and admin pages)
    for staff."""
    def links() -> list[Link]:
        shown = [('Switchboard', '/requests', 'text-h6 text-white no-underline mr-4'),
                 (t('Requests'), '/requests', 'text-white'), (t('My responses'), '/responses', 'text-white')]
        if tab.user is not None:
            shown.append((t('Orders'), '/orders', 'text-white'))
        if permissions.is_staff(tab.user):
            shown += [(t('Inbox'), '/inbox', 'text-white'),
                      (t('Queues'), '/admin/queues', 'text-white'),  # agents read them, admins edit
                      (t('Rules'), '/rules', 'text-white')]  # agents read them, admins edit
        else:
            shown.append((t('Support'), '/support', 'text-white'))
        if permissions.is_admin(tab.user):
            shown += [(t('Users'), '/admin/users', 'text-white'), (t('Jobs'), '/admin/jobs', 'text-white'),
                      (t('Audit log'), '/admin/audit', 'text-white'), (t('Webhooks'), '/admin/webhooks', 'text-white'),
                      (t('Widgets'), '/admin/widgets', 'text-white')]
        return shown

    bar = LinkBar(t('Navigation'))
    bar.show(links())
    tab.account_changed.append(lambda: bar.show(links()))


async def unread_badge(tab: Tab) -> None:
    async def badge() -> None:
        if tab.user is None:
            return
        user_id = tab.user.id
        link = UnreadLink()
        link.show(await tab.desk.conversations.unread_total(user_id=user_id))

        async def update(_event: UnreadChanged) -> None:
            link.show(await tab.desk.conversations.unread_total(user_id=user_id))

        async def resync() -> None:
            await update(UnreadChanged(user_id))

        tab.live.watch(UnreadChanged, update, key=user_id, container=link, resync=resync)

    area = Rebuilt(badge).classes('relative')
    await area.build()
    tab.account_changed.append(area.build)


class UnreadLink(ShowsTexts, ui.html):
    """The link to one's responses, its icon and the unread count as one element rather than three (a link, an
    icon and a q-badge, written here with Quasar's classes)."""

    def __init__(self) -> None:
        super().__init__('', sanitize=False)  # nothing here comes from a user but a count
        self.mark('unread-badge')
        self.total = -1

    def show(self, total: int) -> None:
        if total == self.total:
            return
        self.total = total
        label = html.escape(t('Unread messages: {count}', count=total))
        icon = 'mark_chat_unread' if total else 'chat_bubble_outline'
        count = (f'<div class="q-badge flex inline items-center no-wrap q-badge--single-line q-badge--floating '
                 f'bg-negative" role="status">{total}</div>') if total else ''
        self.content = (f'<a href="/responses" class="nicegui-link text-white" aria-label="{label}">'
                        f'<i class="q-icon notranslate material-icons" aria-hidden="true" style="font-size: 24px">'
                        f'{icon}</i>{count}</a>')

    def shown_texts(self) -> list[str]:
        """The count, when there is one to show."""
        return [str(self.total)] if self.total > 0 else []


def language_picker(tab: Tab) -> None:
    async def choose(event: object) -> None:
        lang = picker.value
        tab.storage['lang'] = lang
        if tab.user is not None:
            await tab.desk.accounts.set_preferences(tab.user.id, locale=lang)
        ui.navigate.reload()  # every word on the page changes

    picker = ui.select(LANGUAGES, value=language(), label=t('Language'), on_change=choose) \
        .props('dense dark borderless options-dense').classes('w-28 ml-auto')  # the rest keeps to the right


def theme_toggle(tab: Tab, dark: ui.dark_mode) -> None:
    async def flip() -> None:
        dark.set_value(dark.value is not True)  # from "follow the system" the first flip goes dark
        theme = 'dark' if dark.value else 'light'
        tab.storage['theme'] = theme
        button.props(f'icon={"light_mode" if dark.value else "dark_mode"}')
        if tab.user is not None:
            await tab.desk.accounts.set_preferences(tab.user.id, theme=theme)

    button = ui.button(icon='light_mode' if dark.value else 'dark_mode', on_click=flip) \
        .props(f'flat round color=white aria-label="{t("Dark mode")}" title="{t("Dark mode")}"').mark('theme-toggle')


async def account(tab: Tab) -> None:
    def links() -> None:
        if tab.user is None:
            ui.link(t('Sign in'), '/login').classes('text-white')
            ui.link(t('Create account'), '/register').classes('text-white')
            return
        # The name leads to the profile, where outside sign-in accounts are linked.
        ui.link(tab.user.display_name, '/profile').classes('text-white').mark('signed-in-as')
        ui.button(t('Sign out'), on_click=sign_out).props('flat color=white')

    def sign_out() -> None:
        tab.signed_out()
        ui.notify(t('You are signed out.'))
        ui.navigate.to('/requests')

    area = Rebuilt(links).classes('row items-center gap-2')
    await area.build()
    tab.account_changed.append(area.build)
