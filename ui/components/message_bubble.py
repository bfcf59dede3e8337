"""One message of a conversation, its text in a label: shown as typed, never as HTML."""

from __future__ import annotations

from nicegui import ui

from domain.views import MessageRow

from ..i18n import t, when
from .attachments import attachment_view


def message_bubble(message: MessageRow, viewer_id: int | None, *, receipt: str | None = None) -> ui.chat_message:
    """A chat bubble; internal notes look different, and the viewer's own messages may carry a receipt."""
    mine = message.author_id == viewer_id
    # A message without an author is the system's own: a rule's internal note.
    with ui.chat_message(name=message.author or t('Automation'), stamp=stamp(message, receipt), sent=mine) \
            .classes('w-full').mark(f'message-{message.id}') as bubble:
        if message.kind == 'note':
            bubble.props('bg-color=amber-2 text-color=black').mark(f'message-{message.id}', 'note')
            ui.label(t('Internal note')).classes('text-caption text-weight-bold')
        if message.body:
            ui.label(message.body).classes('whitespace-pre-wrap break-words')
        for attachment in message.attachments:
            attachment_view(attachment)
    return bubble


def stamp(message: MessageRow, receipt: str | None) -> str:
    return f'{when(message.created_at)} · {receipt}' if receipt else when(message.created_at)
