"""Messages as markup: chat bubbles written as HTML, several to an element, every text in them escaped here.

A bubble that is an element (ui.chat_message) costs each open tab some 5 kB on the server: an idle support chat
showing 30 messages held 184 kB per tab more than one showing a single message (bench/live_load.py scenario 5,
379 against 563 kB). Here up to `MessageBlock.SIZE` consecutive messages share one `ui.html` whose markup is
Quasar's own chat-message classes, so they look as before in light and dark mode. A new message or a receipt
rewrites its block's HTML, at most SIZE bubbles. Nothing a user typed reaches the page unescaped: names, texts,
stamps and file names go through `html.escape`, ids are integers; `innerHTML` is never compiled as a Vue template.
"""

from __future__ import annotations

import html
from typing import NamedTuple

from nicegui import app, ui

from domain.requests.views import AttachmentRow, MessageRow
from patches.displayed_texts import ShowsTexts

from ..i18n import t
from ..when import Ticker, exact, is_recent, when
from .attachments import size_text

FILE_LINKS = 'file_links'  # app.storage.client: the tab's link to a file, with {id}, when not /files/{id}


class Bubble(NamedTuple):
    """A message as shown: its text, who wrote it and its stamp, as a person reads them."""

    message: MessageRow
    receipt: str | None

    @property
    def name(self) -> str:
        return self.message.author or t('Automation')  # a message without an author is a rule's internal note

    @property
    def body(self) -> str:
        return self.message.body

    @property
    def stamp(self) -> str:
        return stamp(self.message, self.receipt)


def stamp(message: MessageRow, receipt: str | None) -> str:
    return f'{when(message.created_at)} · {receipt}' if receipt else when(message.created_at)


def markup(shown: Bubble, viewer_id: int | None) -> str:
    """A message as Quasar's q-chat-message renders one; internal notes look different, and the viewer's own
    messages are on the right and may carry a receipt."""
    message = shown.message
    side = 'sent' if message.author_id == viewer_id else 'received'
    note = message.kind == 'note'
    parts = [f'<div class="text-caption text-weight-bold">{html.escape(t("Internal note"))}</div>'] if note else []
    if message.body:
        parts.append(f'<div>{html.escape(message.body)}</div>')
    parts += [_attachment(attachment) for attachment in message.attachments]
    moment = html.escape(exact(message.created_at), quote=True)
    parts.append(f'<div class="q-message-stamp" title="{moment}">{html.escape(shown.stamp)}</div>')
    return (
        f'<div class="q-message q-message-{side} w-full whitespace-pre-wrap break-words" data-message="{message.id}">'
        f'<div class="q-message-container row items-end no-wrap{" reverse" if side == "sent" else ""}"><div>'
        f'<div class="q-message-name q-message-name--{side}">{html.escape(shown.name)}</div>'
        f'<div class="q-message-text q-message-text--{side}{" text-amber-2" if note else ""}">'
        f'<div class="q-message-text-content q-message-text-content--{side}{" text-black" if note else ""}">'
        f'{"".join(parts)}</div></div></div></div></div>')


def _attachment(attachment: AttachmentRow) -> str:
    """A picture as a preview that opens it, any other file as its name and size; both open in a new tab."""
    url, name = file_url(attachment.id), html.escape(attachment.filename)
    if attachment.is_image:
        return (f'<a href="{url}" target="_blank" aria-label="{name}" class="block">'
                f'<img src="{url}" alt="{name}" loading="lazy" class="w-48 max-h-48 rounded-borders" '
                'style="object-fit: contain"></a>')  # lazy, as q-img was: a long thread loads what comes into view
    return ('<div class="row items-center gap-1">'
            '<i class="q-icon notranslate material-icons" aria-hidden="true" style="font-size: 18px">attach_file</i>'
            f'<a href="{url}" target="_blank" class="nicegui-link">{name}</a>'
            f'<span class="text-caption">({size_text(attachment.size)})</span></div>')


def file_url(attachment_id: int) -> str:
    """/files/{id}, or the tab's own route for files (a chat widget's: its frame has no session cookie)."""
    try:
        template = app.storage.client.get(FILE_LINKS)
    except RuntimeError:  # outside a page
        template = None
    return template.format(id=attachment_id) if isinstance(template, str) else f'/files/{attachment_id}'


class MessageBlock(ShowsTexts, ui.html):
    """Up to SIZE consecutive messages of a conversation, in order; `show` writes their markup (which is kept only
    as the element's content: a tab holds it once)."""

    SIZE = 10

    def __init__(self, viewer_id: int | None) -> None:
        super().__init__('', sanitize=False)  # escaped above, and no script can come of it
        self.classes('w-full flex flex-col gap-1')
        self.viewer_id = viewer_id
        self.bubbles: dict[int, Bubble] = {}  # message id -> its bubble, in the order shown

    @property
    def full(self) -> bool:
        return len(self.bubbles) >= self.SIZE

    def put(self, message: MessageRow, receipt: str | None) -> None:
        """Add a message, or show a message already here anew (a receipt); `show` then writes the block."""
        self.bubbles[message.id] = Bubble(message, receipt)

    def show(self) -> None:
        self.content = ''.join(markup(shown, self.viewer_id) for shown in self.bubbles.values())
        if any(is_recent(shown.message.created_at) for shown in self.bubbles.values()):
            Ticker.of(self.client).add(self)  # "just now" must become "5 min ago" (held weakly)

    def tick(self) -> bool:
        """Stamps read again; the block is sent anew only when one of them changed (at most once a minute)."""
        if self.is_deleted:
            return False
        content = ''.join(markup(shown, self.viewer_id) for shown in self.bubbles.values())
        if content != self.content:
            self.content = content
        return any(is_recent(shown.message.created_at) for shown in self.bubbles.values())

    def shown_texts(self) -> list[str]:
        """What a person reads here, not the markup: each bubble's name, text and stamp."""
        return [text for shown in self.bubbles.values() for text in (shown.name, shown.body, shown.stamp)]
