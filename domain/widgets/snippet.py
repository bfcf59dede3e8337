"""What a site owner pastes: a script tag (the floating launcher) or a plain iframe (no script at all), each also
in the form that names the site's signed-in user (domain/widgets/identity.py)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

# The host site fills these in on its server for its signed-in user; HASH is the HMAC-SHA256 of USER_ID (hex).
IDENTITY = {'user_id': 'USER_ID', 'user_name': 'NAME', 'user_email': 'EMAIL', 'user_hash': 'HASH'}


@dataclass(frozen=True)
class Snippets:
    script: str
    iframe: str
    page_url: str
    identified_script: str  # the script with the signed-in user's data attributes
    identified_iframe: str  # the iframe with them after '#': a fragment never reaches a server or its logs


def snippets(desk_url: str, public_key: str) -> Snippets:
    """The snippets for a widget served from `desk_url` (scheme://host[:port], as browsers reach the desk)."""
    page = f'{desk_url.rstrip("/")}/widget/{public_key}'
    attributes = ' '.join(f'data-{name.replace("_", "-")}="{value}"' for name, value in IDENTITY.items())
    fragment = '&amp;'.join(f'{name}={value}' for name, value in IDENTITY.items())
    frame = 'title="Chat" style="width:380px;height:560px;border:0" allow="clipboard-write"></iframe>'
    return Snippets(script=f'<script src="{escape(page)}/loader.js" async></script>',
                    iframe=f'<iframe src="{escape(page)}" {frame}',
                    page_url=page,
                    identified_script=f'<script src="{escape(page)}/loader.js" {attributes} async></script>',
                    identified_iframe=f'<iframe src="{escape(page)}#{fragment}" {frame}')
