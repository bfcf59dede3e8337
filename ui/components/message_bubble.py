"""One message of a conversation, its text shown as typed (text content, never HTML)."""

from __future__ import annotations

import html
import json
from typing import Any

from nicegui import ui

from domain.views import MessageRow

from ..i18n import t, when
from .attachments import attachment_view


class MessageBubble(ui.chat_message):
    """A chat bubble that is one element when the message is plain text.

    ui.chat_message puts its text in a child element, and an element costs every open tab about 4 kB on the server:
    an idle support chat showing 30 messages held 117 kB per tab more than with one element per message
    (bench/live_load.py scenario 5). Here the text is the bubble's own slot template instead, whose only expression
    is the text as a JSON string literal, set as text content (v-text): nothing in it is markup or code."""

    def __init__(self, text: str, *, name: str, stamp: str, sent: bool) -> None:
        super().__init__(name=name, stamp=stamp, sent=sent)
        self.body = text
        if text:
            self.add_slot('default', f'<div v-text="{html.escape(json.dumps(text), quote=True)}"></div>')

    def _displayed_contents(self, *, only_visible: bool) -> list[Any]:
        return [*super()._displayed_contents(only_visible=only_visible), self.body or None]


def message_bubble(message: MessageRow, viewer_id: int | None, *, receipt: str | None = None) -> MessageBubble:
    """A chat bubble; internal notes look different, and the viewer's own messages may carry a receipt."""
    mine = message.author_id == viewer_id
    plain = message.kind != 'note' and not message.attachments
    # A message without an author is the system's own: a rule's internal note.
    with MessageBubble(message.body if plain else '', name=message.author or t('Automation'),
                       stamp=stamp(message, receipt), sent=mine) \
            .classes('w-full whitespace-pre-wrap break-words').mark(f'message-{message.id}') as bubble:
        if message.kind == 'note':
            bubble.props('bg-color=amber-2 text-color=black').mark(f'message-{message.id}', 'note')
            ui.label(t('Internal note')).classes('text-caption text-weight-bold')
        if message.body and not plain:
            ui.label(message.body)
        for attachment in message.attachments:
            attachment_view(attachment)
    return bubble


def stamp(message: MessageRow, receipt: str | None) -> str:
    return f'{when(message.created_at)} · {receipt}' if receipt else when(message.created_at)
