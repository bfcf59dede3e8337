"""The API's shorter way through the app: none of the pages' middleware, the same edges."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from patches import abandoned, fast_path


async def test_only_the_named_edges_wrap_the_api_and_everything_wraps_the_rest() -> None:
    app = FastAPI()
    seen: list[tuple[str, str]] = []

    def marker(name: str) -> type:
        class Marker:
            def __init__(self, inner: ASGIApp) -> None:
                self.inner = inner

            async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
                if scope['type'] == 'http':
                    seen.append((name, scope['path']))
                await self.inner(scope, receive, send)
        return Marker

    edge, page_only = marker('edge'), marker('page-only')
    app.add_middleware(edge)
    app.add_middleware(page_only)  # outermost, as NiceGUI's are
    app.get('/api/v1/ping')(lambda: {'pong': True})
    app.get('/page')(lambda: {'page': True})
    fast_path.install()
    fast_path.route(app, prefix='/api/', edges=(edge,))
    fast_path.route(app, prefix='/api/', edges=(edge,))  # a second start in the same process changes nothing
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test') as client:
        assert (await client.get('/api/v1/ping')).json() == {'pong': True}
        assert (await client.get('/page')).json() == {'page': True}
        missing = await client.get('/api/v1/nothing')
    assert missing.status_code == 404  # the app's handlers still answer on the short path
    assert seen == [('edge', '/api/v1/ping'), ('page-only', '/page'), ('edge', '/page'), ('edge', '/api/v1/nothing')]


async def test_without_the_patches_every_request_takes_fastapis_own_stack() -> None:
    app = FastAPI()
    app.add_middleware(BaseHTTPMiddleware, dispatch=lambda request, call_next: call_next(request))
    fast_path.uninstall()
    abandoned.uninstall()
    fast_path.route(app, prefix='/api/', edges=())
    assert fast_path.layers(app.build_middleware_stack()) == fast_path.layers(FastAPI.build_middleware_stack(app))
