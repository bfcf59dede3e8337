"""Outgoing webhooks over HTTP: each delivery POSTed to the very address the guard checked, no redirect followed.

The request goes to the checked IP address, with the URL's host in the Host header and in TLS's SNI (and
certificate check), so a DNS answer that changes between the check and the connection (rebinding) cannot steer
it elsewhere. No proxy from the environment either: it would resolve the name again, out of our sight.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import httpx2
from fastapi import FastAPI

from domain.desk import Desk
from domain.webhooks.delivery import install as install_deliveries
from domain.webhooks.guard import Address
from settings import Settings

TIMEOUT = httpx2.Timeout(5.0, connect=3.0)  # a receiver answers quickly, or the delivery is tried again later


class WebhookPoster:
    def __init__(self, *, timeout: httpx2.Timeout = TIMEOUT) -> None:
        self.timeout = timeout
        self._client: httpx2.AsyncClient | None = None  # made on first use, inside the running event loop

    async def __call__(self, url: str, addresses: list[Address], body: bytes, headers: dict[str, str]) -> int:
        """POST to the first of the checked addresses that takes the connection; the answer's body is never read."""
        parts = urlsplit(url)
        if self._client is None:
            self._client = httpx2.AsyncClient(timeout=self.timeout, follow_redirects=False, trust_env=False)
        for index, address in enumerate(addresses):
            host = f'[{address}]' if address.version == 6 else str(address)
            pinned = urlunsplit((parts.scheme, f'{host}:{parts.port}' if parts.port else host, parts.path or '/',
                                 parts.query, ''))
            try:
                async with self._client.stream('POST', pinned, content=body,
                                               headers={**headers, 'Host': parts.netloc},
                                               extensions={'sni_hostname': parts.hostname or ''}) as response:
                    return response.status_code
            except httpx2.ConnectError:
                if index == len(addresses) - 1:  # a name with an IPv6 and an IPv4 address: try the next one
                    raise
        raise ValueError('no address to deliver to')

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()


def install(app: FastAPI, desk: Desk, settings: Settings) -> WebhookPoster:
    """Deliver webhooks, with WEBHOOKS_ALLOW_PRIVATE and WEBHOOKS_DISABLE_AFTER as set."""
    poster = WebhookPoster()
    install_deliveries(desk, poster, allow_private=settings.webhooks_allow_private,
                       disable_after=settings.webhooks_disable_after)

    async def close() -> None:
        await desk.worker.stop()  # no delivery may start after this (the desk's own stop repeats it)
        await poster.close()

    on_shutdown = getattr(app, 'on_shutdown', None)  # NiceGUI's app runs its own shutdown handlers
    if callable(on_shutdown):
        on_shutdown(close)
    else:
        app.router.on_shutdown.append(close)
    return poster
