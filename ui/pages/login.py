"""Sign-in and registration."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from nicegui import ui

from domain.accounts.redirects import local_path
from domain.errors import DomainError

from ..components.provider_button import provider_button
from ..i18n import error_text, t
from ..tab import Tab


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/login'] = login_page
    routes['/register'] = register_page


def login_page(tab: Tab, redirect_to: str = '/requests') -> None:
    target = local_path(redirect_to)  # never another site, however the link was made

    async def sign_in() -> None:
        problem.set_visibility(False)
        try:
            user, token = await tab.desk.accounts.sign_in(username=username.value or '', password=password.value or '',
                                                          address=tab.address)
        except DomainError as error:
            problem.set_text(error_text(error))
            problem.set_visibility(True)
            return
        ui.navigate.to(target)
        tab.signed_in(user, token)

    with ui.card().classes('w-full max-w-sm mx-auto mt-8'):
        ui.label(t('Sign in')).classes('text-h5').props('role=heading aria-level=1')
        username = ui.input(t('Username')).props('autocomplete=username autofocus').classes('w-full')
        password = ui.input(t('Password'), password=True).props('autocomplete=current-password').classes('w-full')
        password.on('keydown.enter', sign_in)
        problem = ui.label().classes('text-negative').props('role=alert').mark('sign-in-problem')
        problem.set_visibility(False)
        if notice := tab.take_notice():  # left by a sign-in through a provider that did not work out
            problem.set_text(t(notice['text'], **notice.get('params', {})))
            problem.set_visibility(True)
        ui.button(t('Sign in'), on_click=sign_in).classes('w-full')
        ui.link(t('Create account'), f'/register?redirect_to={quote(target)}')
        if tab.providers:
            ui.separator()
            ui.label(t('Or sign in with another account')).classes('text-caption')
        for key, name in tab.providers.items():
            provider_button(f'/auth/{key}/login?redirect_to={quote(target)}',
                            t('Sign in with {provider}', provider=name))


def register_page(tab: Tab, redirect_to: str = '/requests') -> None:
    target = local_path(redirect_to)  # never another site, however the link was made

    async def create() -> None:
        for field in fields.values():
            field.error = None
        try:
            await tab.desk.accounts.register(username=fields['username'].value or '',
                                             password=fields['password'].value or '',
                                             repeat=fields['repeat'].value or '')
            user, token = await tab.desk.accounts.sign_in(username=fields['username'].value,
                                                          password=fields['password'].value, address=tab.address)
        except DomainError as error:
            fields.get(error.field or 'username', fields['username']).error = error_text(error)
            return
        ui.notify(t('Welcome, {name}!', name=user.display_name), color='positive')
        ui.navigate.to(target)
        tab.signed_in(user, token)

    with ui.card().classes('w-full max-w-sm mx-auto mt-8'):
        ui.label(t('Create account')).classes('text-h5').props('role=heading aria-level=1')
        fields = {
            'username': ui.input(t('Username')).props('autocomplete=username autofocus'),
            'password': ui.input(t('Password'), password=True).props('autocomplete=new-password'),
            'repeat': ui.input(t('Repeat password'), password=True).props('autocomplete=new-password'),
        }
        for name, field in fields.items():
            field.classes('w-full').mark(name)
        fields['repeat'].on('keydown.enter', create)
        ui.button(t('Create account'), on_click=create).classes('w-full')
        ui.link(t('Sign in'), f'/login?redirect_to={quote(target)}')
