"""In the chat widget, while no agent is online: the widget's offline message, and (if it asks for emails) where
the answer should go. Shown and hidden live as staff open and close the desk (domain/widgets/presence.py)."""

from __future__ import annotations

from nicegui import Client, ui

from domain.widgets.presence import Presence
from storage.widgets import WidgetRow

from ..i18n import t

AWAY = 'Nobody is online right now. Leave your message: we answer here, and by email if you leave your address.'
AWAY_NO_EMAIL = 'Nobody is online right now. Leave your message: we answer here as soon as we are back.'


class OfflineNotice(ui.column):
    def __init__(self, widget: WidgetRow, presence: Presence, client: Client) -> None:
        super().__init__()
        self.classes('w-full gap-1 p-2 rounded-borders').style('background: rgba(128, 128, 128, 0.12)') \
            .mark('offline')
        self.asks_email = widget.email_field != 'off'
        with self:
            ui.label(widget.offline_message or t(AWAY if self.asks_email else AWAY_NO_EMAIL)) \
                .classes('text-body2 whitespace-pre-wrap')
            self.email = ui.input(t('Your email, for our answer')) \
                .props('outlined dense type=email maxlength=254').classes('w-full')
        self.email.set_visibility(False)
        self._has_email = True  # until the pane says who writes: a new visitor is asked by the pre-chat fields
        self.set_visibility(not presence.staff_online())
        unsubscribe = presence.on_change(self._staff_online)
        client.on_delete(unsubscribe)

    def visitor_has_email(self, has: bool) -> None:
        """An existing visitor without an address is asked for one here."""
        self._has_email = has
        self.email.set_visibility(self.asks_email and not has)

    @property
    def given(self) -> str:
        return (self.email.value or '').strip() if self.email.visible and self.visible else ''

    def _staff_online(self, online: bool) -> None:
        if not self.is_deleted:  # elements change from any context; nothing is created here
            self.set_visibility(not online)
