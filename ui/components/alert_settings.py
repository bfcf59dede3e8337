"""The profile's "When a customer writes" section (staff only): the queues an agent works, a sound, and browser
notifications, whose permission the browser asks for only when the agent ticks the box."""

from __future__ import annotations

from nicegui import ui

from domain import permissions
from domain.errors import DomainError

from ..i18n import error_text, t
from ..tab import Tab
from .alerts import ASK_PERMISSION

ASK_TIMEOUT = 60.0  # s: the browser's question waits for the person to answer it


async def alert_settings(tab: Tab) -> None:
    if tab.user is None or not permissions.is_staff(tab.user):
        return
    choices = await tab.desk.alerts.choices(actor_id=tab.user.id)
    queues = {queue.id: queue.name for queue in await tab.desk.alerts.queues(actor_id=tab.user.id)}

    saved = {'browser': choices.browser}

    async def save() -> None:
        try:
            chosen = [queue_id for queue_id in picker.value or [] if queue_id in queues]
            stored = await tab.desk.alerts.save(actor_id=await tab.actor_id(), sound=bool(sound.value),
                                                browser=bool(browser.value), queue_ids=chosen or None)
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            return
        saved['browser'] = stored.browser
        ui.notify(t('Alert settings saved.'), color='positive')

    async def browser_changed() -> None:
        """Ticked: the browser asks the person now, during their click; refused, the box goes back."""
        if bool(browser.value) == saved['browser']:
            return  # the box put back after a refusal (this runs again for that change)
        if browser.value:
            try:
                answer = await ui.run_javascript(ASK_PERMISSION, timeout=ASK_TIMEOUT)
            except TimeoutError:
                answer = None
            if answer != 'granted':
                browser.set_value(False)
                hint.set_text(t('The browser did not allow notifications. Allow them for this site in the '
                                'browser\'s settings, then tick the box again.')
                              if answer in ('denied', 'default') else
                              t('This browser cannot show notifications.'))
                hint.set_visibility(True)
                return
        hint.set_visibility(False)
        await save()

    with ui.column().classes('w-full gap-1').mark('alert-settings'):
        ui.label(t('When a customer writes')).classes('text-h6 mt-2').props('role=heading aria-level=2')
        ui.label(t('A notice shows in every open tab of this desk when a customer writes on a ticket assigned to '
                   'you, or on an unassigned ticket in the queues you work.')).classes('text-caption text-grey-7')
        picker = ui.select(queues, value=[q for q in choices.queue_ids or () if q in queues], multiple=True,
                           label=t('Queues I work'), on_change=save) \
            .props(f'use-chips clearable hint="{t("None chosen: every queue.")}"').classes('w-full') \
            .mark('alert-queues')
        sound = ui.checkbox(t('Play a sound'), value=choices.sound, on_change=save).mark('alert-sound')
        browser = ui.checkbox(t('Show browser notifications'), value=choices.browser) \
            .mark('alert-browser')
        browser.on_value_change(browser_changed)
        hint = ui.label().classes('text-caption text-negative').props('role=alert')
        hint.set_visibility(False)
