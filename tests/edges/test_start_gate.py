"""Until start-up work (migrations, demo seeding) is done, pages and the API answer 503 and /readyz says why."""

from __future__ import annotations

import asyncio

import pytest

from domain import demo
from domain.desk import Desk
from tests.edges.conftest import Serve

DEMO_USER = {'username': 'user', 'password': 'password'}


@pytest.fixture
def seeding_held(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """Demo seeding waits for the test to set the event (main.py imports seed_demo on every run)."""
    release = asyncio.Event()
    seed = demo.seed_demo

    async def held(desk: Desk) -> None:
        await release.wait()
        await seed(desk)

    monkeypatch.setattr(demo, 'seed_demo', held)
    return release


async def test_pages_and_the_api_answer_503_with_retry_after_while_seeding(serve: Serve,
                                                                           seeding_held: asyncio.Event) -> None:
    async with serve(ready=False) as served:
        await served.desk.database.ready()  # migrated, but the demo users are not there yet
        for path in ('/', '/requests', '/login'):
            page = await served.http.get(path)
            assert page.status_code == 503, path
            assert page.headers['Retry-After'] == '1'
        token = await served.http.post('/api/v1/auth/token', json=DEMO_USER)
        assert token.status_code == 503
        assert token.headers['Retry-After'] == '1'
        assert token.json() == {'error': {'code': 'starting', 'message': 'Starting up; try again in a moment.'}}
        readyz = await served.http.get('/readyz')
        assert readyz.status_code == 503
        assert readyz.json() == {'status': 'unavailable', 'reason': 'start-up work (demo seeding) not done'}
        assert (await served.http.get('/healthz')).status_code == 200  # the process answers all along
        seeding_held.set()
        await served.desk.ready()
        assert (await served.http.post('/api/v1/auth/token', json=DEMO_USER)).status_code == 200
        assert (await served.http.get('/readyz')).status_code == 200
        assert (await served.http.get('/login')).status_code == 200
