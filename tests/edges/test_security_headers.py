"""Every answer says who may frame it and how to treat it; the session cookie is Secure behind HTTPS."""

from __future__ import annotations

import re

import httpx
from fastapi import Response

from tests.edges.conftest import Serve

WIDGET_POLICY = "frame-ancestors https://shop.example"


def assert_guarded(response: httpx.Response) -> None:
    assert "frame-ancestors 'self'" in response.headers.get_list('content-security-policy'), response.url
    assert response.headers['x-frame-options'] == 'SAMEORIGIN'
    assert response.headers['referrer-policy'] == 'strict-origin-when-cross-origin'
    assert response.headers['x-content-type-options'] == 'nosniff'


async def test_pages_the_api_and_probes_may_only_be_framed_by_the_app_itself(serve: Serve) -> None:
    async with serve() as served:
        page = await served.http.get('/login')
        script = await served.http.get(re.findall(r'"(/_nicegui/[^"]+\.js)"', page.text)[0])
        api = await served.http.get('/api/v1/auth/me')
        missing = await served.http.get('/api/v1/no-such-route')
        probe = await served.http.get('/healthz')
    assert page.status_code == 200 and 'text/html' in page.headers['content-type']
    assert api.status_code == 401 and missing.status_code == 404
    for response in (page, script, api, missing, probe):
        assert_guarded(response)


async def test_a_route_with_its_own_frame_ancestors_keeps_them(serve: Serve) -> None:
    async with serve() as served:
        from nicegui import app

        @app.get('/widget-for-test')
        async def widget() -> Response:
            return Response('<p>hi</p>', media_type='text/html', headers={'Content-Security-Policy': WIDGET_POLICY})

        response = await served.http.get('/widget-for-test')
    assert response.headers.get_list('content-security-policy') == [WIDGET_POLICY]
    assert 'x-frame-options' not in response.headers  # it would forbid the frames the policy allows
    assert response.headers['x-content-type-options'] == 'nosniff'


def _session_cookie(response: httpx.Response) -> str:
    return next(value for value in response.headers.get_list('set-cookie') if value.startswith('session='))


async def test_the_session_cookie_is_secure_when_the_app_is_served_over_https(serve: Serve) -> None:
    async with serve(PUBLIC_URL='https://desk.example') as served:
        cookie = _session_cookie(await served.http.get('/healthz'))
    assert 'secure' in cookie.lower().split('; ')


async def test_the_session_cookie_stays_plain_over_http(serve: Serve) -> None:
    async with serve(PUBLIC_URL='http://localhost:8080') as served:
        cookie = _session_cookie(await served.http.get('/healthz'))
    assert 'secure' not in cookie.lower().split('; ')


async def test_secure_cookies_can_be_turned_off_behind_https(serve: Serve) -> None:
    async with serve(PUBLIC_URL='https://desk.example', SECURE_COOKIES='0') as served:
        cookie = _session_cookie(await served.http.get('/healthz'))
    assert 'secure' not in cookie.lower().split('; ')
