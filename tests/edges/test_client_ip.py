"""The client address agrees with uvicorn's proxy headers when both trust TRUSTED_PROXIES, as main.py sets them."""

from __future__ import annotations

import pytest
from starlette.types import Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from edges.client_ip import ClientAddress

CHAINS = [  # (trusted proxies, peer, X-Forwarded-For, the client)
    ((), '127.0.0.1', '203.0.113.5', '127.0.0.1'),  # unset: nobody is believed, not even this machine
    (('127.0.0.1/32',), '127.0.0.1', '203.0.113.5', '203.0.113.5'),
    (('127.0.0.1/32',), '203.0.113.8', '198.51.100.1', '203.0.113.8'),  # a client naming someone else
    (('10.0.0.0/8',), '10.0.0.1', '192.0.2.99, 198.51.100.2, 10.0.0.3', '198.51.100.2'),
    (('10.0.0.0/8', '::1/128'), '::1', '10.0.0.2, 10.0.0.3', '10.0.0.2'),  # proxies all the way: the farthest
]


@pytest.mark.parametrize(('trusted', 'peer', 'forwarded', 'client'), CHAINS)
async def test_behind_uvicorns_proxy_headers_the_address_is_the_same_as_without(
        trusted: tuple[str, ...], peer: str, forwarded: str, client: str) -> None:
    address = ClientAddress(trusted)
    seen: list[str] = []

    async def app(scope: Scope, _receive: Receive, _send: Send) -> None:
        seen.append(address(scope))

    scope = {'type': 'http', 'client': (peer, 1), 'headers': [(b'x-forwarded-for', forwarded.encode())]}
    assert address(dict(scope)) == client  # in process, as the tests run the app
    await ProxyHeadersMiddleware(app, trusted_hosts=','.join(trusted))(dict(scope), None, None)  # type: ignore[arg-type]
    assert seen == [client]  # under uvicorn, which rewrote the peer first
