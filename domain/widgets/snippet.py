"""What a site owner pastes: a script tag (the floating launcher) or a plain iframe (no script at all)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Snippets:
    script: str
    iframe: str
    page_url: str


def snippets(desk_url: str, public_key: str) -> Snippets:
    """The snippets for a widget served from `desk_url` (scheme://host[:port], as browsers reach the desk)."""
    page = f'{desk_url.rstrip("/")}/widget/{public_key}'
    return Snippets(script=f'<script src="{escape(page)}/loader.js" async></script>',
                    iframe=f'<iframe src="{escape(page)}" title="Chat" '
                           'style="width:380px;height:560px;border:0" allow="clipboard-write"></iframe>',
                    page_url=page)
