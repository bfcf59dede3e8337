"""/metrics: requests by route template and status with latency, tabs, domain events and the database pool."""

from __future__ import annotations

import nicegui
import pytest
from fastapi import APIRouter
from nicegui import app
from starlette.types import Receive, Scope, Send

from edges.http_stats import HttpStats
from edges.observe import ObserveMiddleware
from tests.edges.conftest import Serve
from tests.factories import make_request, make_user


async def test_requests_are_counted_by_route_template_and_status(serve: Serve) -> None:
    async with serve() as served:
        router = APIRouter(prefix='/api/v9')

        @router.get('/things/{thing_id}')
        async def thing(thing_id: int) -> dict[str, int]:
            return {'id': thing_id}
        lifespan = app.router.lifespan_context
        app.include_router(router)
        app.router.lifespan_context = lifespan  # include_router wraps it once more, for every later test too
        for thing_id in (1, 2, 3):
            assert (await served.http.get(f'/api/v9/things/{thing_id}')).status_code == 200
        await served.http.get('/healthz')
        await served.http.get('/requests/12345')  # a page of the single-page app
        await served.http.get('/api/v1/no-such-route')
        await served.http.get('/favicon.ico')
        await served.http.get(f'/_nicegui/{nicegui.__version__}/static/nicegui.js')
        requests = await served.samples('switchboard_http_requests_total')
        buckets = await served.samples('switchboard_http_request_duration_seconds_bucket')
        counts = await served.samples('switchboard_http_request_duration_seconds_count')
    assert requests[(('method', 'GET'), ('route', '/api/v9/things/{thing_id}'), ('status', '200'))] == 3
    assert requests[(('method', 'GET'), ('route', '/healthz'), ('status', '200'))] == 1
    assert requests[(('method', 'GET'), ('route', '<page>'), ('status', '200'))] == 1
    assert sum(count for labels, count in requests.items() if ('route', '/api/*') in labels) == 1
    assert requests[(('method', 'GET'), ('route', '/favicon.ico'), ('status', '200'))] == 1
    assert requests[(('method', 'GET'), ('route', '/_nicegui/*'), ('status', '200'))] == 1
    assert not [labels for labels in requests if ('route', '/requests/12345') in labels]
    assert counts[(('method', 'GET'), ('route', '/api/v9/things/{thing_id}'))] == 3
    assert buckets[(('le', '+Inf'), ('method', 'GET'), ('route', '/api/v9/things/{thing_id}'))] == 3


async def test_connected_tabs_are_counted(serve: Serve) -> None:
    async with serve() as served:
        assert (await served.samples('switchboard_connected_tabs'))[()] == 0
        await served.user.open('/')
        assert (await served.samples('switchboard_connected_tabs'))[()] == 1


async def test_domain_events_published_and_delivered_are_counted_by_kind(serve: Serve) -> None:
    kind = (('kind', 'RequestCreated'),)
    async with serve() as served:
        before = await served.samples('switchboard_events_published_total')  # the demo's requests, on SQLite
        author = await make_user(served.desk)
        await make_request(served.desk, author)
        await make_request(served.desk, author)
        published = await served.samples('switchboard_events_published_total')
        delivered = await served.samples('switchboard_events_delivered_total')
    assert published[kind] - before.get(kind, 0) == 2
    assert delivered[kind] >= published[kind]  # the shared page caches forget what they read, for one


async def test_the_database_pool_is_reported(serve: Serve, database_url: str) -> None:
    async with serve(DATABASE_URL=database_url) as served:
        size = await served.samples('switchboard_db_pool_size')
        checked_out = await served.samples('switchboard_db_pool_checked_out')
        overflow = await served.samples('switchboard_db_pool_max_overflow')
        process = await served.samples('process_resident_memory_bytes')
    assert size[()] == (5 if served.desk.database.is_sqlite else 30)
    assert checked_out[()] in (0, 1)  # the job worker may be looking for due jobs just then
    assert overflow[()] == (10 if served.desk.database.is_sqlite else 0)  # SQLite: SQLAlchemy's own pool
    assert process[()] > 0


async def test_a_request_that_fails_is_counted_as_a_500() -> None:
    async def broken(_scope: Scope, _receive: Receive, _send: Send) -> None:
        raise RuntimeError('boom')

    stats = HttpStats()
    scope: Scope = {'type': 'http', 'method': 'POST', 'path': '/api/v1/x', 'headers': []}
    with pytest.raises(RuntimeError):
        await ObserveMiddleware(broken, stats=stats)(scope, None, None)  # type: ignore[arg-type]
    assert stats.requests == {('POST', '/api/*', '500'): 1}
