"""Chat bubbles written as markup: what a message holds shows as text, never as markup of its own."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from domain.requests.views import AttachmentRow, MessageRow
from ui.components.message_block import Bubble, markup

HOSTILE = '<img src=x onerror="alert(1)"> & {{ 6 * 7 }}'
AT = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def message(**fields: object) -> MessageRow:
    defaults: dict[str, object] = dict(id=7, conversation_id=1, author_id=2, author='ann', kind='message', body='hi',
                                       created_at=AT)
    return MessageRow(**{**defaults, **fields})  # type: ignore[arg-type]


def attachment(number: int, filename: str, content_type: str) -> AttachmentRow:
    return AttachmentRow(id=number, message_id=7, filename=filename, content_type=content_type, size=2048,
                         sha256='0' * 64)


def test_texts_names_and_file_names_are_escaped_and_only_ours_is_markup() -> None:
    files = (attachment(3, HOSTILE + '.png', 'image/png'), attachment(4, HOSTILE + '.txt', 'text/plain'))
    shown = markup(Bubble(message(author=HOSTILE, body=HOSTILE, attachments=files), 'Sent'), viewer_id=2)
    assert '<img src=x' not in shown and 'onerror="' not in shown
    assert shown.count('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; {{ 6 * 7 }}') == 5  # name, body, 3 files
    tags = re.findall(r'<(\w+)', shown)
    assert set(tags) == {'div', 'a', 'img', 'i', 'span'}
    assert re.findall(r'<img [^>]*>', shown) == [
        '<img src="/files/3" alt="&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; {{ 6 * 7 }}.png" '
        'loading="lazy" class="w-48 max-h-48 rounded-borders" style="object-fit: contain">']
    assert '<a href="/files/4" target="_blank" class="nicegui-link">' in shown and '(2.0 kB)' in shown


def test_own_messages_are_on_the_right_with_the_receipt_and_notes_look_different() -> None:
    mine = markup(Bubble(message(), 'Read'), viewer_id=2)
    assert 'q-message-sent' in mine and ' reverse' in mine
    assert '<div class="q-message-stamp" title="2026-11-24 09:30:00 (UTC)">2026-11-24 09:30 · Read</div>' in mine
    note = markup(Bubble(message(kind='note', author_id=None, author=''), None), viewer_id=2)
    assert 'q-message-received' in note and 'Internal note' in note and 'text-amber-2' in note
    assert '>Automation</div>' in note  # a rule's note has no author
