"""Inside the chat widget: sign in to (or create) a customer account, so the conversation joins it; then who is
signed in, and sign out. The frame has no session cookie on another site: the visitor's token carries the link."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from domain.errors import DomainError
from domain.widgets.joining import Joined

from ..i18n import t
from .field_errors import clear_errors, show_error

SignIn = Callable[[str, str], Awaitable[Joined]]
Register = Callable[[str, str, str], Awaitable[Joined]]


class WidgetAccount(ui.column):
    """The form, shown when the header's "Sign in" is pressed; `on_joined` takes over once it worked."""

    def __init__(self, header: ui.element, *, sign_in: SignIn, register: Register,
                 on_joined: Callable[[Joined], Awaitable[None]], on_sign_out: Callable[[], Awaitable[None]]) -> None:
        super().__init__()
        self.classes('w-full gap-1').mark('widget-account')
        self._sign_in, self._register, self._on_joined = sign_in, register, on_joined
        self.registering = False
        self.header = header
        self._on_sign_out = on_sign_out
        with header:
            ui.space()
            self.open_button = ui.button(t('Sign in'), icon='login', on_click=self.toggle) \
                .props('flat dense no-caps color=white').mark('widget-sign-in')
        self.who: ui.label | None = None  # who is signed in, and Sign out: made for the first sign-in
        self.out_button: ui.button | None = None
        self.fields: dict[str, ui.input] = {}
        self.set_visibility(False)

    def _form(self) -> None:
        """Made when first opened: most visitors never sign in, and each element costs every open chat memory."""
        with self:
            self.title = ui.label().classes('text-subtitle2')
            self.username = ui.input(t('Username')).props('outlined dense autocomplete=username').classes('w-full')
            self.password = ui.input(t('Password'), password=True) \
                .props('outlined dense autocomplete=current-password').classes('w-full')
            self.repeat = ui.input(t('Repeat password'), password=True) \
                .props('outlined dense autocomplete=new-password').classes('w-full')
            with ui.row().classes('w-full items-center gap-2'):
                self.submit_button = ui.button(t('Sign in'), on_click=self.submit).mark('widget-account-submit')
                ui.button(t('Cancel'), on_click=self.toggle).props('flat')
                ui.space()
                self.switch = ui.button(t('Create account'), on_click=self.switch_mode).props('flat dense no-caps')
        self.password.on('keydown.enter', self.submit)
        self.fields = {'username': self.username, 'password': self.password, 'repeat': self.repeat}
        self._show_mode()

    def signed_in(self, name: str | None) -> None:
        """Show who the widget acts as (None: a guest)."""
        if name and self.who is None:
            with self.header:
                self.who = ui.label().classes('text-caption ellipsis').style('max-width: 9rem')
                self.out_button = ui.button(t('Sign out'), icon='logout', on_click=self._on_sign_out) \
                    .props('flat dense no-caps color=white')
        if self.who is None or self.out_button is None:
            return
        self.who.set_text(t('Signed in as {name}', name=name) if name else '')
        self.who.set_visibility(bool(name))
        self.open_button.set_visibility(not name)
        self.out_button.set_visibility(bool(name))
        if name:
            self.set_visibility(False)

    def toggle(self) -> None:
        if not self.fields:
            self._form()
        self.set_visibility(not self.visible)

    def switch_mode(self) -> None:
        self.registering = not self.registering
        self._show_mode()

    def _show_mode(self) -> None:
        self.repeat.set_visibility(self.registering)
        self.title.set_text(t('Create an account to keep this conversation') if self.registering
                            else t('Sign in to keep this conversation with your account'))
        self.submit_button.set_text(t('Create account') if self.registering else t('Sign in'))
        self.switch.set_text(t('I have an account') if self.registering else t('Create account'))

    async def submit(self) -> None:
        clear_errors(self.fields)
        try:
            if self.registering:
                joined = await self._register(self.username.value or '', self.password.value or '',
                                              self.repeat.value or '')
            else:
                joined = await self._sign_in(self.username.value or '', self.password.value or '')
        except DomainError as error:
            show_error(error, self.fields)
            return
        self.password.value = self.repeat.value = ''
        await self._on_joined(joined)
