"""Where a webhook may go: http(s) URLs of public addresses only, checked when saved and again at each delivery.

The check at delivery time resolves the host and the request then goes to the very address checked, so a name
that resolved to a public address when saved and to 127.0.0.1 later (DNS rebinding) is refused, not followed.
Settings may allow private targets (WEBHOOKS_ALLOW_PRIVATE), for a desk whose receivers live on its own network.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from domain.errors import InvalidInput

URL_MAX = 2000
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# Why an address is refused, most telling first; each is a whole sentence so it translates as one.
REFUSALS = (  # the narrower kinds before "private", which Python's list of private networks also covers
    ('is_loopback', 'Webhooks may not go to a loopback address ({address}).'),
    ('is_unspecified', 'Webhooks may not go to a reserved address ({address}).'),
    ('is_link_local', 'Webhooks may not go to a link-local address ({address}).'),
    ('is_multicast', 'Webhooks may not go to a multicast address ({address}).'),
    ('is_reserved', 'Webhooks may not go to a reserved address ({address}).'),
    ('is_private', 'Webhooks may not go to a private network address ({address}).'),
)


def checked_url(url: str) -> tuple[str, str, int]:
    """The URL without surrounding spaces, its host and port; InvalidInput says what is wrong with it."""
    url = url.strip()
    if not url:
        raise InvalidInput('Enter the URL the events go to.', field='url')
    if len(url) > URL_MAX:
        raise InvalidInput('The URL is too long (at most {max} characters).', field='url', max=URL_MAX)
    if any(char.isspace() or not char.isprintable() for char in url):  # spaces, NULs, controls: no URL has them
        raise InvalidInput('This is not a URL.', field='url')
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidInput('This is not a URL.', field='url') from None
    if parts.scheme not in ('http', 'https'):
        raise InvalidInput('Webhook URLs start with http:// or https://.', field='url')
    if not parts.hostname:
        raise InvalidInput('The URL names no host.', field='url')
    if parts.username is not None or parts.password is not None:
        raise InvalidInput('Put no user name or password in the URL; the secret signs every delivery.', field='url')
    return url, parts.hostname, port or (443 if parts.scheme == 'https' else 80)


def refusal(address: Address) -> str | None:
    """Why a webhook may not go to `address`, or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    for test, reason in REFUSALS:
        if getattr(address, test):
            return reason
    if not address.is_global:  # shared address space (100.64.0.0/10) and the like: not the public internet
        return 'Webhooks may not go to a reserved address ({address}).'
    return None


async def resolved(host: str, port: int, *, allow_private: bool) -> list[Address]:
    """The host's addresses, every one of them public unless private targets are allowed; InvalidInput if not."""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, ValueError):  # UnicodeError (a bad IDNA label) is one
            raise InvalidInput('The host {host} was not found.', field='url', host=host) from None
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split('%')[0]) for info in found))
    if not addresses:
        raise InvalidInput('The host {host} was not found.', field='url', host=host)
    if not allow_private:
        for address in addresses:  # every one: the client might otherwise connect to the one not checked
            if (reason := refusal(address)) is not None:
                raise InvalidInput(reason, field='url', address=str(address))
    return addresses


async def checked_target(url: str, *, allow_private: bool) -> str:
    """A URL an endpoint may be saved with: well formed and, resolved now, pointing at allowed addresses."""
    url, host, port = checked_url(url)
    await resolved(host, port, allow_private=allow_private)
    return url
