"""One registered webhook endpoint: its URL, events and secret, a switch, why the app switched it off, its log."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from domain.webhooks.service import EndpointRow

from ..i18n import t, when


class EndpointCard(ui.card):
    def __init__(self, endpoint: EndpointRow, *, switch: Callable[[EndpointRow, bool], Awaitable[None]],
                 show_log: Callable[[EndpointRow], Awaitable[None]],
                 delete: Callable[[EndpointRow], Awaitable[None]]) -> None:
        super().__init__()
        self.classes('w-full gap-1').mark(f'webhook-{endpoint.id}')
        self.endpoint = endpoint
        with self:
            with ui.row().classes('w-full items-center gap-2'):
                ui.label(f'#{endpoint.id}').classes('text-grey-7')
                ui.label(endpoint.url).classes('font-medium break-all').mark(f'webhook-{endpoint.id}-url')
                ui.space()
                ui.switch(t('Enabled'), value=endpoint.enabled,
                          on_change=lambda event: switch(self.endpoint, bool(event.value))) \
                    .mark(f'webhook-{endpoint.id}-enabled')
                ui.button(t('Delivery log'), icon='list', on_click=lambda: show_log(self.endpoint)) \
                    .props('flat no-caps').mark(f'webhook-{endpoint.id}-log')
                ui.button(t('Delete'), icon='delete', on_click=lambda: delete(self.endpoint)) \
                    .props('flat no-caps color=negative').mark(f'webhook-{endpoint.id}-delete')
            ui.label(t('Events: {events}', events=', '.join(endpoint.events))).classes('text-body2')
            with ui.row().classes('items-center gap-2 text-body2'):
                ui.label(t('Secret:'))
                # Hidden until asked for: a screen shared in a meeting should not hand out the signing key.
                secret = ui.label('•' * 12 + endpoint.secret[-4:]).classes('font-mono select-all') \
                    .mark(f'webhook-{endpoint.id}-secret')
                reveal = ui.button(t('Show')).props('flat dense no-caps').mark(f'webhook-{endpoint.id}-show-secret')
                reveal.on_click(lambda: (secret.set_text(endpoint.secret), reveal.set_visibility(False)))
            if not endpoint.enabled and endpoint.disabled_reason:
                ui.label(t('Switched off on {time} after {count} failed deliveries in a row. Fix the receiver, '
                           'then switch it on again.', time=when(endpoint.updated_at), count=endpoint.failures)) \
                    .classes('text-negative').props('role=alert').mark(f'webhook-{endpoint.id}-disabled')
            elif endpoint.failures:
                ui.label(t('Failed deliveries in a row: {count}', count=endpoint.failures)) \
                    .classes('text-warning text-body2')
