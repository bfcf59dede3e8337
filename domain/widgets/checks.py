"""What a widget's settings must look like: exact web origins, a colour, field modes, bounded texts."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.errors import InvalidInput
from domain.text import storable

FIELD_MODES = ('off', 'optional', 'required')
NAME_MAX, TEXT_MAX, ORIGINS_MAX = 80, 500, 20
_COLOUR = re.compile(r'^#[0-9a-fA-F]{6}$')
_HOST = re.compile(r'^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$')
DEFAULT_PORTS = {'http': 80, 'https': 443}


@dataclass(frozen=True)
class WidgetDraft:
    """A widget's settings as an admin gives them; `checked()` returns them normalised or raises InvalidInput."""

    name: str
    queue_id: int
    origins: tuple[str, ...]
    greeting: str = ''
    accent: str = '#1976d2'
    name_field: str = 'off'
    email_field: str = 'off'
    offline_message: str = ''

    def checked(self) -> WidgetDraft:
        name = storable(self.name).strip()
        if not name:
            raise InvalidInput('Give the widget a name.', field='name')
        if len(name) > NAME_MAX:
            raise InvalidInput('At most {max} characters (now {length}).', field='name', max=NAME_MAX,
                               length=len(name))
        if not _COLOUR.match(self.accent or ''):
            raise InvalidInput('Give the colour as #rrggbb.', field='accent')
        for field, mode in (('name_field', self.name_field), ('email_field', self.email_field)):
            if mode not in FIELD_MODES:
                raise InvalidInput('Choose off, optional or required.', field=field)
        return WidgetDraft(name=name, queue_id=self.queue_id, origins=checked_origins(self.origins),
                           greeting=_text(self.greeting, 'greeting'), accent=self.accent.lower(),
                           name_field=self.name_field, email_field=self.email_field,
                           offline_message=_text(self.offline_message, 'offline_message'))


def _text(value: str, field: str) -> str:
    text = storable(value or '').strip()
    if len(text) > TEXT_MAX:
        raise InvalidInput('At most {max} characters (now {length}).', field=field, max=TEXT_MAX, length=len(text))
    return text


def checked_origins(origins: Iterable[str]) -> tuple[str, ...]:
    """Each origin exactly `scheme://host[:port]` (http or https, no path, no wildcard), normalised, once each."""
    found: list[str] = []
    for given in origins:
        origin = normal_origin(given)
        if origin is None:
            raise InvalidInput('"{origin}" is no website origin: write scheme://host[:port], as '
                               'https://shop.example.com, with no path.', field='origins', origin=str(given)[:100])
        if origin not in found:
            found.append(origin)
    if len(found) > ORIGINS_MAX:
        raise InvalidInput('At most {max} websites.', field='origins', max=ORIGINS_MAX)
    return tuple(found)


def normal_origin(value: str | None) -> str | None:
    """`scheme://host[:port]` in lower case without the scheme's default port; None for anything else."""
    text = (value or '').strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or '').lower()
    if (parts.scheme.lower() not in DEFAULT_PORTS or not host or parts.path not in ('', '/') or parts.query
            or parts.fragment or parts.username is not None or parts.password is not None or text.endswith('?')
            or text.endswith('#') or not (_HOST.match(host) or _is_ip(host))):
        return None
    scheme = parts.scheme.lower()
    shown = f'[{host}]' if ':' in host else host
    return f'{scheme}://{shown}' if port in (None, DEFAULT_PORTS[scheme]) else f'{scheme}://{shown}:{port}'


def origin_of(url: str | None) -> str | None:
    """The origin of a full URL (a Referer, the host page's address), normalised like the configured ones."""
    try:
        parts = urlsplit((url or '').strip())
    except ValueError:
        return None
    return normal_origin(f'{parts.scheme}://{parts.netloc}') if parts.scheme and parts.netloc else None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
