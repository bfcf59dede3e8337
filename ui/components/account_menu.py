"""The header's user menu: who is signed in, the profile, the language, the theme, signing out (or in).

The menu and its items are made when its button is first pressed, and built again when what they show changed: a menu
never opened is one element on every open tab (its button) rather than some twenty.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from ..i18n import LANGUAGES, language, t
from ..tab import Tab

CSS = """
.sb-account .q-btn__content > .block { max-width: 11rem; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
/* On a phone only the icon shows; the name stays for screen readers (Quasar's .block wins over display: none) */
@media (max-width: 599.98px) { .sb-account .q-btn__content > .block { position: absolute; width: 1px; height: 1px;
  clip-path: inset(50%); } .sb-account .q-icon.on-left { margin-right: 0; } }
"""


class AccountMenu:
    def __init__(self, tab: Tab, dark: ui.dark_mode) -> None:
        self.tab = tab
        self.dark = dark
        self.built_for: tuple[object, ...] | None = None
        user = tab.user
        if user is None:
            label = t('Settings')
            self.button = ui.button(icon='more_vert', on_click=self.build) \
                .props(f'flat round color=white aria-label="{label}" title="{label}"').mark('account-menu')
        else:
            # The name is the button's text (hidden on a phone, where the icon stays): the header says who is in.
            self.button = ui.button(user.display_name, icon='account_circle', on_click=self.build) \
                .props('flat no-caps color=white padding="4px 8px"').classes('sb-account').mark('signed-in-as')
            self.button.props['aria-label'] = user.display_name  # its text is hidden on a phone
        self.menu: ui.menu | None = None  # made at the first press: most tabs never open it

    def build(self) -> None:
        """The items, for what is true now (the theme may have changed since the last time)."""
        now = (self.tab.user, self.dark.value, language())
        if now == self.built_for:
            return
        self.built_for = now
        if self.menu is None:
            with self.button:
                self.menu = ui.menu().props('anchor="bottom right" self="top right"').classes('min-w-[14rem]') \
                    .mark('account-items')
            self.menu.open()  # the press that made it found no menu to open
        self.menu.clear()
        with self.menu:
            user = self.tab.user
            if user is None:
                _item('login', t('Sign in'), lambda: ui.navigate.to('/login'), 'sign-in')
                _item('person_add', t('Create account'), lambda: ui.navigate.to('/register'), 'create-account')
            else:
                with ui.item().props('dense'):
                    with ui.item_section():
                        ui.item_label(t('Signed in as')).props('caption')
                        ui.item_label(user.display_name).classes('text-weight-medium ellipsis')
                _item('person', t('Profile'), lambda: ui.navigate.to('/profile'), 'profile')
            ui.separator()
            ui.item_label(t('Language')).props('header').classes('py-2')
            for code, name in LANGUAGES.items():
                choose = lambda code=code: self.choose_language(code)  # noqa: E731 (one per language)
                _item('check' if code == language() else '', name, choose, f'language-{code}').props(f'lang={code}')
            dark = self.dark.value is True
            _item('light_mode' if dark else 'dark_mode', t('Light mode') if dark else t('Dark mode'), self.flip_theme,
                  'theme-toggle')
            if user is not None:
                ui.separator()
                _item('logout', t('Sign out'), self.sign_out, 'sign-out')

    async def choose_language(self, lang: str) -> None:
        self.tab.storage['lang'] = lang
        if self.tab.user is not None:
            await self.tab.desk.accounts.set_preferences(self.tab.user.id, locale=lang)
        ui.navigate.reload()  # every word on the page changes

    async def flip_theme(self) -> None:
        self.dark.set_value(self.dark.value is not True)  # from "follow the system" the first flip goes dark
        theme = 'dark' if self.dark.value else 'light'
        self.tab.storage['theme'] = theme
        if self.tab.user is not None:
            await self.tab.desk.accounts.set_preferences(self.tab.user.id, theme=theme)

    def sign_out(self) -> None:
        self.tab.signed_out()
        ui.notify(t('You are signed out.'))
        ui.navigate.to('/requests')


def _item(icon: str, text: str, on_click: Callable[[], object], marker: str) -> ui.menu_item:
    with ui.menu_item(on_click=on_click).mark(marker) as item:
        with ui.item_section().props('avatar').classes('min-w-0 pr-3'):
            ui.icon(icon or 'none', size='sm').classes('opacity-70' if icon else 'invisible')
        ui.item_section(text)
    return item
