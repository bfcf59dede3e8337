"""Text from outside, made storable: PostgreSQL refuses NUL characters in text, and nobody types them on purpose."""

from __future__ import annotations


def storable(text: str) -> str:
    return text.replace('\x00', '') if '\x00' in text else text
