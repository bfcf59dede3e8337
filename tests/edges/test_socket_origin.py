"""The pages' socket answers only the app's own pages: a handshake from another site's page is refused."""

from __future__ import annotations

import httpx

from tests.edges.conftest import Serve

HANDSHAKE = '/_nicegui_ws/socket.io/?EIO=4&transport=polling'


async def handshake(http: httpx.AsyncClient, origin: str) -> httpx.Response:
    return await http.get(HANDSHAKE, headers={'Origin': origin})


async def test_a_handshake_from_another_site_is_refused(serve: Serve) -> None:
    async with serve() as served:
        evil = await handshake(served.http, 'http://evil.example')
        look_alike = await handshake(served.http, 'http://test.evil.example')
    for response in (evil, look_alike):
        assert response.status_code == 400
        assert 'access-control-allow-origin' not in response.headers


async def test_a_handshake_from_the_page_the_app_served_is_accepted(serve: Serve) -> None:
    async with serve() as served:
        own = await handshake(served.http, 'http://test')  # the Host the request came to
        without = await served.http.get(HANDSHAKE)  # not from a browser page: no Origin to check
    assert own.status_code == 200 and own.text.startswith('0{')
    assert own.headers['access-control-allow-origin'] == 'http://test'
    assert without.status_code == 200


async def test_the_public_url_and_the_cors_origins_are_the_apps_own_too(serve: Serve) -> None:
    async with serve(PUBLIC_URL='https://desk.example/', CORS_ORIGINS='https://app.example.com, *') as served:
        public = await handshake(served.http, 'https://desk.example')
        listed = await handshake(served.http, 'https://app.example.com')
        anyone = await handshake(served.http, 'https://evil.example')  # "*" opens the API, not the pages' socket
    assert public.status_code == 200 and listed.status_code == 200
    assert anyone.status_code == 400
