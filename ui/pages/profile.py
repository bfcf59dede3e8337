"""The signed-in user's profile: who they are, and the outside accounts (OAuth providers) they may sign in with."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.accounts.time_zones import time_zones
from domain.errors import DomainError

from ..components.alert_settings import alert_settings
from ..components.notification_settings import notification_settings
from ..components.provider_button import provider_button
from ..i18n import error_text, t
from ..tab import Tab
from ..when import exact, when, zone_name
from .admin_users import ROLE_NAMES


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/profile'] = profile_page


async def profile_page(tab: Tab) -> None:
    if tab.user is None:
        ui.label(t('Sign in to see your profile.'))
        ui.link(t('Sign in'), '/login?redirect_to=/profile')
        return
    user = tab.user
    notice = tab.take_notice()  # left by the linking routes on the way back from a provider
    linked = {row.provider: row for row in await tab.desk.identities.linked(user.id)}
    # Providers linked earlier but no longer configured still show, without a button.
    names = {**{key: key for key in linked}, **tab.providers}

    with ui.card().classes('w-full max-w-lg'):
        ui.label(t('Profile')).classes('text-h5').props('role=heading aria-level=1')
        if notice:
            ui.label(t(notice['text'], **notice.get('params', {}))) \
                .classes('text-positive' if notice.get('ok') else 'text-negative') \
                .props('role=status' if notice.get('ok') else 'role=alert').mark('profile-notice')
        with ui.grid(columns='auto 1fr').classes('gap-x-6 gap-y-1'):
            for label, value in ((t('Username'), user.username), (t('Display name'), user.display_name),
                                 (t('Role'), t(ROLE_NAMES.get(user.role, user.role)))):
                ui.label(label).classes('text-grey-7')
                ui.label(value)

        ui.label(t('Sign-in accounts')).classes('text-h6 mt-2').props('role=heading aria-level=2')
        if not names:
            ui.label(t('This desk has no outside sign-in services set up.')).classes('text-grey-7')
        for key, name in names.items():
            with ui.row().classes('w-full items-center justify-between no-wrap').mark(f'provider-{key}'):
                ui.label(name).classes('text-weight-medium')
                if key in linked:
                    with ui.row().classes('items-center gap-1'):
                        ui.icon('check_circle', color='positive').props(f'aria-label="{t("Linked")}"')
                        ui.label(t('Linked on {date}', date=when(linked[key].created_at))) \
                            .props(f'title="{exact(linked[key].created_at)}"')
                else:
                    with ui.element('div').classes('w-48'):
                        provider_button(f'/auth/{key}/link', t('Link {provider}', provider=name))

        time_zone_setting(tab)
        await notification_settings(tab)
        await alert_settings(tab)


def time_zone_setting(tab: Tab) -> None:
    """The zone times are shown in: the browser's by default, or one chosen here for every device."""
    assert tab.user is not None
    user_id = tab.user.id

    async def choose() -> None:
        try:
            await tab.desk.accounts.set_preferences(user_id, time_zone=picker.value or '')
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            return
        ui.navigate.reload()  # every time on the page changes, and tab.user carries the old choice

    ui.label(t('Time zone')).classes('text-h6 mt-2').props('role=heading aria-level=2')
    options = {'': t('From the browser'), **{name: name.replace('_', ' ') for name in time_zones()}}
    picker = ui.select(options, value=tab.user.time_zone or '', label=t('Time zone'), with_input=True,
                       on_change=choose).classes('w-full').mark('time-zone')
    ui.label(t('Times are shown in {zone}.', zone=zone_name())).classes('text-caption text-grey-7')
