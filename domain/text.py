"""Text from outside, made storable: no NUL characters or lone surrogates, which UTF-8 and the database refuse."""

from __future__ import annotations

import re

# Half of a UTF-16 pair: JSON may escape one ("\ud800") and a browser's string may hold one (a cut emoji); encoding
# it as UTF-8, which the database drivers do, fails.
_SURROGATE = re.compile('[\ud800-\udfff]')


def storable(text: str) -> str:
    if '\x00' in text:  # PostgreSQL refuses NUL in text, and nobody types it on purpose
        text = text.replace('\x00', '')
    if not text.isascii() and has_surrogate(text):
        text = _SURROGATE.sub('\ufffd', text)  # as a decoder marks broken bytes: the rest of the text survives
    return text


def has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


TITLE_LENGTH = 60


def short_title(text: str, limit: int = TITLE_LENGTH) -> str:
    """A title for a ticket born from a chat message: its first non-empty line, cut at a word boundary with "…"."""
    line = next((' '.join(part.split()) for part in text.splitlines() if part.strip()), '')
    if len(line) <= limit:
        return line
    cut = line[:limit]
    if line[limit] != ' ' and ' ' in cut:  # the cut fell inside a word: end at the word before it
        cut = cut[:cut.rindex(' ')]
    return cut.rstrip(' ,.;:-–—') + '…'
