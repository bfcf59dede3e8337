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


async def test_an_api_call_finds_its_route_among_its_segments_routers_and_answers_as_the_app_would() -> None:
    from fastapi import APIRouter, Depends

    async def who() -> str:
        return 'real'

    tickets, queues = APIRouter(prefix='/tickets'), APIRouter(prefix='/queues')
    tickets.get('/{ticket_id}')(lambda ticket_id: {'ticket': ticket_id})
    tickets.get('/mine')(lambda: {'never': 'reached: /{ticket_id} comes first, as in the app'})

    async def named(caller: str = Depends(who)) -> dict[str, str]:
        return {'caller': caller}
    queues.get('')(named)

    def app_with_routers(shortcut: bool) -> FastAPI:
        app = FastAPI()
        for router in (queues, tickets):
            app.include_router(router, prefix='/api/v1')
        if shortcut:
            fast_path.routers(app, '/api/v1', (queues, tickets))
        app.dependency_overrides[who] = lambda: 'override'
        fast_path.route(app, prefix='/api/', edges=())
        return app

    fast_path.install()
    paths = [('GET', '/api/v1/tickets/7'), ('GET', '/api/v1/tickets/mine'), ('GET', '/api/v1/queues'),
             ('POST', '/api/v1/queues'), ('GET', '/api/v1/queues/'), ('GET', '/api/v1/tickets/7/nothing'),
             ('GET', '/api/v1/nothing')]
    answers = []
    for shortcut in (True, False):
        app = app_with_routers(shortcut)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test') as client:
            answers.append([(response.status_code, response.text, response.headers.get('location'))
                            for response in [await client.request(method, path) for method, path in paths]])
    assert answers[0] == answers[1]
    assert [status for status, _text, _location in answers[0]] == [200, 200, 200, 405, 307, 404, 404]
    assert answers[0][2][1] == '{"caller":"override"}'


def test_the_shortcut_stands_aside_when_a_route_could_match_any_segment() -> None:
    from fastapi import APIRouter

    anything = APIRouter()
    anything.get('/{name}')(lambda name: name)
    app = FastAPI()
    app.include_router(anything, prefix='/api/v1')
    fast_path.routers(app, '/api/v1', (anything,))
    assert fast_path.by_segment(app) is None


async def test_with_the_shortcut_an_api_call_never_asks_the_pages_routes() -> None:
    from fastapi import APIRouter
    from starlette.routing import Route

    asked: list[str] = []

    class PageRoute(Route):
        def matches(self, scope: Scope) -> tuple:  # type: ignore[override]
            asked.append(scope['path'])
            return super().matches(scope)

    tickets = APIRouter(prefix='/tickets')
    tickets.get('/{ticket_id}')(lambda ticket_id: {'ticket': ticket_id})
    app = FastAPI()
    app.router.routes.append(PageRoute('/page', lambda request: None))
    app.include_router(tickets, prefix='/api/v1')
    fast_path.routers(app, '/api/v1', (tickets,))
    fast_path.install()
    fast_path.route(app, prefix='/api/', edges=())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test') as client:
        assert (await client.get('/api/v1/tickets/7')).json() == {'ticket': '7'}
        assert (await client.get('/api/v1/nothing')).status_code == 404
    # Only a path no API router has goes through the app's routes (twice: the second time with a slash added).
    assert set(asked) == {'/api/v1/nothing', '/api/v1/nothing/'}
