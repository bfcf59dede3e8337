"""Which errors say the database is away (they pass) and which say something asked of it was wrong."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from storage.database import connection_lost
from tests.database_errors import RESTARTING, as_sqlalchemy_raises
from tests.ports import free_port


async def caught(url: str, statement: str) -> Exception:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
            await connection.execute(text(statement))
    except Exception as error:
        return error
    finally:
        await engine.dispose()
    raise AssertionError('no error')


async def test_a_refused_connection_is_the_database_away() -> None:
    error = await caught(f'postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/away', 'SELECT 1')
    assert connection_lost(error)


async def test_a_statement_the_database_rejects_is_not(tmp_path) -> None:
    url = f'sqlite+aiosqlite:///{tmp_path / "db.sqlite"}'
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text('CREATE TABLE t (id INTEGER PRIMARY KEY)'))
    await engine.dispose()
    error = await caught(url, 'INSERT INTO t (id) VALUES (1)')  # the second insert breaks the key
    assert not connection_lost(error)


@pytest.mark.parametrize(('error', 'lost'), [(TimeoutError(), True), (ConnectionResetError(), True),
                                             (ValueError('a bug'), False)])
def test_plain_errors(error: Exception, lost: bool) -> None:
    assert connection_lost(error) is lost


@pytest.mark.parametrize('error', RESTARTING, ids=lambda error: type(error).__name__)
def test_a_database_shutting_down_or_starting_up_is_the_database_away(error: Exception) -> None:
    assert connection_lost(error)
    assert connection_lost(as_sqlalchemy_raises(error))


def test_an_error_in_the_statement_from_postgresql_is_not() -> None:
    error = asyncpg.exceptions.UndefinedTableError('relation "nothing" does not exist')
    assert not connection_lost(as_sqlalchemy_raises(error))
