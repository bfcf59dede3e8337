"""The profile's "Email notifications" section: the address notification email goes to, and what sends one."""

from __future__ import annotations

from nicegui import ui

from domain import permissions
from domain.errors import DomainError

from ..i18n import t
from ..tab import Tab
from .field_errors import show_error

EVENT_LABELS = {'status.changed': 'Status of my requests changed', 'assigned': 'A request was assigned to me'}


async def notification_settings(tab: Tab) -> None:
    """Only the signed-in user's own choices; nothing typed is lost when the address is refused."""
    assert tab.user is not None
    user = tab.user
    choices = await tab.desk.preferences.notifications(actor_id=user.id)
    # Only staff are ever assigned a request: customers are not offered what can never happen to them.
    staff = permissions.is_staff(user)
    kinds = [kind for kind in EVENT_LABELS if kind != 'assigned' or staff or kind in choices.events]

    async def save() -> None:
        email.error = None
        chosen = [kind for kind, box in boxes.items() if box.value]
        try:
            saved = await tab.desk.preferences.set_notifications(actor_id=await tab.actor_id(),
                                                                 email=email.value or '', events=chosen)
        except DomainError as error:
            show_error(error, {'email': email})
            return
        email.value = saved.email or ''
        ui.notify(t('Notification settings saved.'), color='positive')

    with ui.column().classes('w-full gap-1').mark('email-notifications'):
        ui.label(t('Email notifications')).classes('text-h6 mt-2').props('role=heading aria-level=2')
        email = ui.input(t('Email address'), value=choices.email or '') \
            .props('type=email autocomplete=email').classes('w-full').mark('notify-email')
        email.on('keydown.enter', save)
        boxes = {kind: ui.checkbox(t(EVENT_LABELS[kind]), value=kind in choices.events).mark(f'notify-{kind}')
                 for kind in kinds}
        ui.button(t('Save'), on_click=save).mark('notify-save')
