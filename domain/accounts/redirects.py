"""Where a browser may be sent after signing in: a path of this site, never another host."""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PAGE = '/requests'
MAX_LENGTH = 2000  # longer than any page of ours; a longer target is made up


def local_path(target: str, *, default: str = DEFAULT_PAGE) -> str:
    """`target` when it is a plain path of this site; `default` for anything a browser could read as another host."""
    # Browsers drop tabs and newlines inside a URL and treat a backslash as a slash, so "/<tab>/evil.example"
    # and "/\\evil.example" both mean "//evil.example", another host. Rather than guess how each browser
    # normalises, refuse every control character, whitespace, backslash and non-ASCII character outright.
    if not target or len(target) > MAX_LENGTH or not target.isascii() or not target.isprintable():
        return default
    if any(character.isspace() or character == '\\' for character in target):
        return default
    if not target.startswith('/') or target.startswith('//'):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
