"""API tests: the app as main.py builds it, on SQLite and on PostgreSQL, called over ASGI with bearer tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from nicegui import core
from nicegui.testing import User

from domain.desk import Desk
from storage.rows import UserRow
from tests.conftest import _reset
from tests.factories import PASSWORD, make_user

SignIn = Callable[..., Awaitable[tuple[UserRow, dict[str, str]]]]


@pytest.fixture
def app_env(app_env: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main.py on the test's database, with rate limits out of the way (the edges' own tests cover them)."""
    monkeypatch.setenv('DATABASE_URL', database_url)
    monkeypatch.setenv('RATE_LIMIT_API', '100000/minute')
    monkeypatch.setenv('RATE_LIMIT_AUTH', '100000/minute')
    return app_env


@pytest.fixture
async def api_desk(user: User) -> Desk:
    """The running app's desk, on an empty PostgreSQL database (one database serves the whole run there)."""
    from ui import app as web
    desk = web.current
    assert desk is not None
    if not desk.database.is_sqlite:
        async with desk.database.engine.begin() as connection:  # type: ignore[union-attr]
            await _reset(connection)
    return desk


@pytest.fixture
async def api(api_desk: Desk) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the API, as a script or a mobile app would be: no cookies of the pages involved."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://test/api/v1') as client:
        yield client


@pytest.fixture
def signed_in(api_desk: Desk) -> SignIn:
    """A new account of a role and the Authorization header of its access token."""
    async def sign_in(role: str = 'customer') -> tuple[UserRow, dict[str, str]]:
        account = await make_user(api_desk, role=role)
        pair = await api_desk.tokens.sign_in(username=account.username, password=PASSWORD)
        return account, {'Authorization': f'Bearer {pair.access_token}'}
    return sign_in
