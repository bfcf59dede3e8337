"""The API's shorter way through the app: none of the pages' middleware, the same edges, and a database
restart costs one refused call, not a broken pool."""

from __future__ import annotations

import logging

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import make_url
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.desk import Desk
from edges import fast_path
from tests.api.conftest import SignIn


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
    fast_path.install(app, prefix='/api/', edges=(edge,))
    fast_path.install(app, prefix='/api/', edges=(edge,))  # a second start in the same process changes nothing
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test') as client:
        assert (await client.get('/api/v1/ping')).json() == {'pong': True}
        assert (await client.get('/page')).json() == {'page': True}
        missing = await client.get('/api/v1/nothing')
    assert missing.status_code == 404  # the app's handlers still answer on the short path
    assert seen == [('edge', '/api/v1/ping'), ('page-only', '/page'), ('edge', '/page'), ('edge', '/api/v1/nothing')]


async def test_the_running_app_answers_the_api_with_its_edges(api: httpx.AsyncClient, signed_in: SignIn) -> None:
    _user, headers = await signed_in()
    listed = await api.get('/requests', headers=headers)
    assert listed.status_code == 200 and listed.headers['x-request-id']
    missing = await api.get('/no-such-thing', headers=headers)
    assert missing.status_code == 404 and missing.json()['error']['code'] == 'not_found'


async def test_a_restarted_database_costs_one_call_a_503_then_calls_work(api: httpx.AsyncClient, api_desk: Desk,
                                                                          signed_in: SignIn) -> None:
    if api_desk.database.is_sqlite:
        pytest.skip('PostgreSQL: connections the server drops')
    _user, headers = await signed_in()
    assert (await api.get('/requests', headers=headers)).status_code == 200
    url = make_url(api_desk.database.url)
    admin = await asyncpg.connect(url.set(drivername='postgresql').render_as_string(hide_password=False))
    try:  # what a server restart does to the pool's connections
        await admin.execute('SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                            'WHERE datname = $1 AND pid <> pg_backend_pid()', url.database)
    finally:
        await admin.close()
    answers = [(await api.get('/requests', headers=headers)).status_code for _ in range(3)]
    assert answers[-1] == 200 and set(answers) <= {200, 503}
    refused = [status for status in answers if status == 503]
    assert len(refused) <= 1


async def test_a_page_request_the_browser_abandons_is_no_server_error(caplog: pytest.LogCaptureFixture) -> None:
    app = FastAPI()
    app.add_middleware(BaseHTTPMiddleware, dispatch=lambda request, call_next: call_next(request))  # as NiceGUI's

    async def script(scope: Scope, receive: Receive, send: Send) -> None:  # a response that ends where its client
        assert (await receive())['type'] == 'http.disconnect'       # left, before it began (as a file's can)

    app.mount('/static', script)
    app.get('/broken')(lambda: 1 / 0)
    fast_path.install(app, prefix='/api/', edges=())
    stack = app.build_middleware_stack()

    async def left() -> Message:  # the browser navigated away before the answer began
        return {'type': 'http.disconnect'}

    async def send(message: Message) -> None:
        pass  # nobody listens

    def scope(path: str) -> Scope:
        return {'type': 'http', 'method': 'GET', 'path': path, 'raw_path': path.encode(), 'query_string': b'',
                'headers': [], 'http_version': '1.1', 'scheme': 'http', 'server': ('test', 80),
                'client': ('127.0.0.1', 1), 'root_path': '', 'asgi': {'version': '3.0', 'spec_version': '2.3'}}

    with caplog.at_level(logging.INFO, logger='edges.fast_path'):
        await stack(scope('/static/script.js'), left, send)
    assert 'the client left before the answer began' in caplog.text  # and no error raised to the server

    with pytest.raises(RuntimeError, match='No response returned'):  # without the wrapper: Starlette's error
        await BaseHTTPMiddleware(app.router, dispatch=lambda request, call_next: call_next(request))(
            scope('/static/script.js'), left, send)
    with pytest.raises(ZeroDivisionError):  # a real failure is still one, client gone or not
        await stack(scope('/broken'), left, send)
