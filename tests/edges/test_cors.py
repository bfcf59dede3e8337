"""CORS: no headers at all unless CORS_ORIGINS names origins; then the API answers those origins' preflights."""

from __future__ import annotations

from tests.edges.conftest import Serve

PREFLIGHT = {'Origin': 'https://app.example.com', 'Access-Control-Request-Method': 'POST',
             'Access-Control-Request-Headers': 'authorization, content-type'}


async def test_without_configured_origins_there_are_no_cors_headers(serve: Serve) -> None:
    async with serve() as served:
        preflight = await served.http.options('/api/v1/requests', headers=PREFLIGHT)
        plain = await served.http.get('/healthz', headers={'Origin': 'https://app.example.com'})
    assert not [name for name in preflight.headers if name.startswith('access-control-')]
    assert not [name for name in plain.headers if name.startswith('access-control-')]


async def test_a_configured_origin_gets_its_preflight_answered(serve: Serve) -> None:
    async with serve(CORS_ORIGINS='https://app.example.com/, https://admin.example.com') as served:
        allowed = await served.http.options('/api/v1/requests', headers=PREFLIGHT)
        other = await served.http.options('/api/v1/requests', headers={**PREFLIGHT, 'Origin': 'https://evil.example'})
        page = await served.http.get('/healthz', headers={'Origin': 'https://app.example.com'})
    assert allowed.status_code == 200
    assert allowed.headers['access-control-allow-origin'] == 'https://app.example.com'
    assert 'POST' in allowed.headers['access-control-allow-methods']
    assert 'authorization' in allowed.headers['access-control-allow-headers'].lower()
    assert 'access-control-allow-credentials' not in allowed.headers  # bearer tokens, never cookies
    assert other.status_code == 400
    assert 'access-control-allow-origin' not in other.headers
    assert 'access-control-allow-origin' not in page.headers  # only the API is shared with other origins


async def test_a_rate_limited_answer_still_carries_cors_headers_for_the_browser(serve: Serve) -> None:
    async with serve(CORS_ORIGINS='https://app.example.com', RATE_LIMIT_API='1/minute') as served:
        origin = {'Origin': 'https://app.example.com'}
        await served.http.get('/api/v1/requests', headers=origin)
        # Preflights are answered before the limit and never spend a token.
        assert (await served.http.options('/api/v1/requests', headers=PREFLIGHT)).status_code == 200
        limited = await served.http.get('/api/v1/requests', headers=origin)
    assert limited.status_code == 429
    assert limited.headers['access-control-allow-origin'] == 'https://app.example.com'
    assert 'retry-after' in limited.headers['access-control-expose-headers'].lower()
