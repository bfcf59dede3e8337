"""Every word of the UI in English and Russian; the tab's language is chosen once per page load."""

from __future__ import annotations

from nicegui import app

from domain.errors import DomainError

from .translations import RU

LANGUAGES = {'en': 'English', 'ru': 'Русский'}


def t(text: str, **values: object) -> str:
    """`text` in the current tab's language, with `{name}` placeholders filled."""
    if language() == 'ru':
        text = RU.get(text, text)
    return text.format(**values) if values else text


def error_text(error: DomainError) -> str:
    """A domain error's message in the tab's language."""
    return t(error.template, **error.params)


def language() -> str:
    try:
        return app.storage.client.get('lang', 'en')
    except RuntimeError:  # outside a page (a background task with no slot)
        return 'en'


def set_language(lang: str) -> None:
    app.storage.client['lang'] = lang


def from_accept_language(header: str | None, default: str = 'en') -> str:
    """The first supported language of a browser's Accept-Language header."""
    for part in (header or '').split(','):
        code = part.split(';')[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return default


