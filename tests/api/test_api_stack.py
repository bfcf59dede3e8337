"""The API through the running app, with or without the short path: its edges answer, and a database restart
costs one refused call, not a broken pool."""

from __future__ import annotations

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from domain.desk import Desk
from tests.api.conftest import SignIn


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
