"""The form that registers a webhook endpoint: URL, events, an optional secret; the domain's reason under it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from domain.errors import DomainError
from domain.webhooks.payload import WEBHOOK_EVENTS
from domain.webhooks.service import EndpointDraft

from ..i18n import error_text, t

# What each public event means, shown beside its name.
EVENT_NAMES = {'ticket.created': 'A ticket or request is created', 'message.posted': 'A message is posted',
               'note.added': 'An internal note is added', 'status.changed': 'The status changes',
               'ticket.assigned': 'A ticket is assigned'}


class WebhookForm(ui.card):
    def __init__(self, save: Callable[[EndpointDraft], Awaitable[None]]) -> None:
        super().__init__()
        self.classes('w-full gap-2').mark('webhook-form')
        self.save = save
        with self:
            ui.label(t('New endpoint')).classes('text-h6').props('role=heading aria-level=2')
            self.url = ui.input(t('Endpoint URL'), placeholder='https://hooks.example.com/switchboard') \
                .classes('w-full').mark('webhook-url')
            ui.label(t('Events')).classes('text-caption text-grey-7')
            with ui.row().classes('gap-4'):
                self.events = {kind: ui.checkbox(f'{kind} · {t(EVENT_NAMES[kind])}', value=True)
                               .mark(f'webhook-event-{kind}') for kind in WEBHOOK_EVENTS}
            self.secret = ui.input(t('Secret (leave empty to have one made)')).classes('w-full') \
                .props('autocomplete=off').mark('webhook-secret')
            self.problem = ui.label().classes('text-negative').props('role=alert').mark('webhook-problem')
            ui.button(t('Add endpoint'), icon='add', on_click=self.submit).mark('webhook-add')

    async def submit(self) -> None:
        draft = EndpointDraft(self.url.value or '', [kind for kind, box in self.events.items() if box.value],
                              self.secret.value or '')
        try:
            await self.save(draft)
        except DomainError as error:
            self.problem.set_text(error_text(error))
            return
        self.problem.set_text('')
        self.url.set_value('')
        self.secret.set_value('')
