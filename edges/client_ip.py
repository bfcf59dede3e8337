"""The client's address: the peer, or what X-Forwarded-For says when the peer is a proxy we trust."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import Scope

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_CACHE_SIZE = 4096


class ClientAddress:
    """Callable on an ASGI scope; without trusted proxies it only reads the peer, which costs nothing."""

    # Under uvicorn, whose proxy headers main.py limits to the same TRUSTED_PROXIES, the peer arrives already
    # resolved to the client; reading the chain again names the same address (tests/edges/test_client_ip.py).

    def __init__(self, trusted_proxies: Iterable[str] = ()) -> None:
        self.networks: tuple[IPNetwork, ...] = tuple(ipaddress.ip_network(n, strict=False) for n in trusted_proxies)
        self._trusted: dict[str, bool] = {}  # address -> trusted; few proxies, so nearly every lookup hits

    def __call__(self, scope: Scope) -> str:
        client = scope.get('client')
        peer = client[0] if client else 'unknown'
        if not self.networks or not self.is_trusted(peer):
            return peer
        forwarded = b','.join(value for name, value in scope['headers'] if name == b'x-forwarded-for')
        # Read from the right: each trusted proxy appended the address it saw; the first untrusted one is the
        # client. Entries further left were written by the client itself and may be made up.
        for hop in reversed(forwarded.decode('latin-1').split(',')):
            hop = hop.strip()
            if not _is_address(hop):
                break
            if not self.is_trusted(hop):
                return hop
            peer = hop
        return peer

    def is_trusted(self, address: str) -> bool:
        trusted = self._trusted.get(address)
        if trusted is None:
            try:
                parsed = ipaddress.ip_address(address)
                trusted = any(parsed in network for network in self.networks)
            except ValueError:
                trusted = False
            if len(self._trusted) >= _CACHE_SIZE:  # addresses seen through a proxy are many; stay bounded
                self._trusted.clear()
            self._trusted[address] = trusted
        return trusted


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
