"""One message of a conversation, rendered as text (never HTML)."""

from __future__ import annotations

from nicegui import ui

from storage.rows import MessageRow

from ..i18n import when


def message_bubble(message: MessageRow, viewer_id: int | None) -> ui.chat_message:
    return ui.chat_message(message.body, name=message.author, stamp=when(message.created_at),
                           sent=message.author_id == viewer_id).classes('w-full whitespace-pre-wrap') \
        .mark(f'message-{message.id}')
