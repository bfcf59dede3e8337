"""The API's shorter way through the app: none of the pages' middleware, the same edges."""

from __future__ import annotations

import logging

import httpx
import pytest
from fastapi import FastAPI
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from patches import fast_path


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


async def test_without_the_patch_every_request_takes_fastapis_own_stack() -> None:
    app = FastAPI()
    app.add_middleware(BaseHTTPMiddleware, dispatch=lambda request, call_next: call_next(request))
    fast_path.uninstall()
    fast_path.route(app, prefix='/api/', edges=())
    assert fast_path.layers(app.build_middleware_stack()) == fast_path.layers(FastAPI.build_middleware_stack(app))


async def test_a_page_request_the_browser_abandons_is_no_server_error(caplog: pytest.LogCaptureFixture) -> None:
    app = FastAPI()
    app.add_middleware(BaseHTTPMiddleware, dispatch=lambda request, call_next: call_next(request))  # as NiceGUI's

    async def script(scope: Scope, receive: Receive, send: Send) -> None:  # a response that ends where its client
        assert (await receive())['type'] == 'http.disconnect'       # left, before it began (as a file's can)

    app.mount('/static', script)
    app.get('/broken')(lambda: 1 / 0)
    fast_path.install()
    fast_path.route(app, prefix='/api/', edges=())
    stack = app.build_middleware_stack()

    async def left() -> Message:  # the browser navigated away before the answer began
        return {'type': 'http.disconnect'}

    async def send(message: Message) -> None:
        pass  # nobody listens

    def scope(path: str) -> Scope:
        return {'type': 'http', 'method': 'GET', 'path': path, 'raw_path': path.encode(), 'query_string': b'',
                'headers': [], 'http_version': '1.1', 'scheme': 'http', 'server': ('test', 80),
                'client': ('127.0.0.1', 1), 'root_path': '', 'asgi': {'version': '3.0', 'spec_version': '2.3'}}

    with caplog.at_level(logging.INFO, logger='patches.fast_path'):
        await stack(scope('/static/script.js'), left, send)
    assert 'the client left before the answer began' in caplog.text  # and no error raised to the server

    with pytest.raises(RuntimeError, match='No response returned'):  # without the wrapper: Starlette's error
        await BaseHTTPMiddleware(app.router, dispatch=lambda request, call_next: call_next(request))(
            scope('/static/script.js'), left, send)
    with pytest.raises(ZeroDivisionError):  # a real failure is still one, client gone or not
        await stack(scope('/broken'), left, send)
