"""One message of a conversation, its text in a label: shown as typed, never as HTML."""

from __future__ import annotations

from nicegui import ui

from domain.views import MessageRow

from ..i18n import when


def message_bubble(message: MessageRow, viewer_id: int | None) -> ui.chat_message:
    with ui.chat_message(name=message.author, stamp=when(message.created_at),
                         sent=message.author_id == viewer_id).classes('w-full').mark(f'message-{message.id}') as bubble:
        ui.label(message.body).classes('whitespace-pre-wrap break-words')
    return bubble
