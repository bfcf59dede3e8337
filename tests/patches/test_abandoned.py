"""A page request the browser abandoned before its answer began is no server error; a real failure still is."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.types import Message, Receive, Scope, Send

from patches import abandoned, fast_path


async def test_a_page_request_the_browser_abandons_is_no_server_error(caplog: pytest.LogCaptureFixture) -> None:
    app = FastAPI()
    app.add_middleware(BaseHTTPMiddleware, dispatch=lambda request, call_next: call_next(request))  # as NiceGUI's

    async def script(scope: Scope, receive: Receive, send: Send) -> None:  # a response that ends where its client
        assert (await receive())['type'] == 'http.disconnect'       # left, before it began (as a file's can)

    app.mount('/static', script)
    app.get('/broken')(lambda: 1 / 0)
    abandoned.install()
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

    with caplog.at_level(logging.INFO, logger='patches.abandoned'):
        await stack(scope('/static/script.js'), left, send)
    assert 'the client left before the answer began' in caplog.text  # and no error raised to the server

    with pytest.raises(RuntimeError, match='No response returned'):  # without the wrapper: Starlette's error
        await BaseHTTPMiddleware(app.router, dispatch=lambda request, call_next: call_next(request))(
            scope('/static/script.js'), left, send)
    with pytest.raises(ZeroDivisionError):  # a real failure is still one, client gone or not
        await stack(scope('/broken'), left, send)
