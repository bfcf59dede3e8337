"""/healthz says the process answers; /readyz says the database answers with its schema at the migrations' head."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from domain.desk import Desk
from storage.database import Database
from storage.health import readiness, script_head
from tests.edges.conftest import Serve


async def test_healthz_answers_ok(serve: Serve) -> None:
    async with serve() as served:
        response = await served.http.get('/healthz')
    assert response.status_code == 200
    assert response.json() == {'status': 'ok'}


async def test_readyz_is_ready_once_migrations_ran(serve: Serve, database_url: str) -> None:
    async with serve(DATABASE_URL=database_url) as served:
        response = await served.http.get('/readyz')
    assert response.status_code == 200
    assert response.json() == {'status': 'ok'}


async def test_readyz_is_unavailable_when_the_database_is_unreachable(serve: Serve) -> None:
    async with serve(DATABASE_URL='postgresql+asyncpg://nobody@127.0.0.1:1/nothing', ready=False) as served:
        response = await served.http.get('/readyz')
        with pytest.raises(OSError):  # the migrations at start failed the same way; take their error
            await served.desk.database.ready()
    assert response.status_code == 503
    assert response.json()['status'] == 'unavailable'
    assert response.json()['reason'].startswith('database unreachable')


async def test_a_database_behind_the_migrations_is_not_ready(desk: Desk) -> None:
    engine = desk.database.engine
    assert engine is not None
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    try:
        reason = await readiness(desk.database)
    finally:
        async with engine.begin() as connection:
            await connection.execute(text('UPDATE alembic_version SET version_num = :head'), {'head': script_head()})
    assert reason == f'migrations not at head: database at 0001, code at {script_head()}'
    assert await readiness(desk.database) is None


async def test_a_database_never_migrated_is_not_ready(tmp_path: Path) -> None:
    database = Database(f'sqlite+aiosqlite:///{tmp_path / "empty.db"}')
    assert await readiness(database) == 'database not started'
    database.engine = create_async_engine(database.url)  # opened, but never migrated
    try:
        assert await readiness(database) == f'migrations not at head: database at none, code at {script_head()}'
    finally:
        await database.engine.dispose()
