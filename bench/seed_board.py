"""Loading the synthetic board into a scratch database: SQLite or PostgreSQL, created and dropped here.

The schema comes from the app's own migrations (Database.ready); the rows go in with bulk inserts (Core
executemany on SQLite, COPY on PostgreSQL), then ANALYZE (VACUUM ANALYZE on PostgreSQL). PostgreSQL is
127.0.0.1:5432 as user postgres (trust auth), in a fresh database `bench_requests_<random>`.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager

import asyncpg
from board_data import (
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    READ_MARKER_COLUMNS,
    REQUEST_COLUMNS,
    USER_COLUMNS,
    Dataset,
)
from sqlalchemy import insert, select, text

from storage.database import Database
from storage.models import Base, Conversation, Message, Queue, ReadMarker, Request, User, WorkflowStatus

PG_ADMIN_DSN = 'postgresql://postgres@127.0.0.1:5432/postgres'
BATCH = 5_000


def _chunks(rows: list[tuple], size: int = BATCH) -> Iterator[list[tuple]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


TABLES = ((User, USER_COLUMNS, 'users'), (Request, REQUEST_COLUMNS, 'requests'),
          (Conversation, CONVERSATION_COLUMNS, 'conversations'), (Message, MESSAGE_COLUMNS, 'messages'),
          (ReadMarker, READ_MARKER_COLUMNS, 'read_markers'))


async def board_info(database: Database, queue: str = 'Board') -> tuple[int, list[tuple[int, str, str]]]:
    """The queue's id and its workflow's statuses as (id, name, kind), in workflow order."""
    async with database.engine.connect() as connection:  # type: ignore[union-attr]
        queue_id, workflow_id = (await connection.execute(
            select(Queue.id, Queue.workflow_id).where(Queue.name == queue))).one()
        statuses = (await connection.execute(
            select(WorkflowStatus.id, WorkflowStatus.name, WorkflowStatus.kind)
            .where(WorkflowStatus.workflow_id == workflow_id).order_by(WorkflowStatus.position))).all()
    return queue_id, [tuple(s) for s in statuses]


# (table name, column names, rows): what insert_tables / copy_tables load, in foreign-key order.
TableRows = tuple[str, Sequence[str], list[tuple]]


def _board_tables(data: Dataset) -> list[TableRows]:
    return [(name, columns, getattr(data, name)) for _model, columns, name in TABLES]


async def seed_sqlite(database: Database, data: Dataset) -> None:
    await insert_tables(database, _board_tables(data))


async def seed_postgresql(dsn: str, data: Dataset) -> None:
    await copy_tables(dsn, _board_tables(data))


async def insert_tables(database: Database, tables: list[TableRows]) -> None:
    """Core executemany in one transaction, then ANALYZE."""
    async with database.engine.begin() as connection:  # type: ignore[union-attr]
        for name, columns, rows in tables:
            table = Base.metadata.tables[name]
            for chunk in _chunks(rows):
                await connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in chunk])
    async with database.engine.begin() as connection:  # type: ignore[union-attr]
        await connection.execute(text('ANALYZE'))


async def copy_tables(dsn: str, tables: list[TableRows]) -> None:
    """COPY in one transaction, id sequences moved past the rows, then VACUUM (ANALYZE)."""
    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            for name, columns, rows in tables:
                for chunk in _chunks(rows, 50_000):
                    await connection.copy_records_to_table(name, records=chunk, columns=list(columns))
            for name in [name for name, columns, _rows in tables if 'id' in columns]:
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))")
        # VACUUM as well as ANALYZE: sets the visibility map as autovacuum would on a settled database, so
        # index-only scans are what they would be in production (and autovacuum does not kick in mid-run).
        await connection.execute('VACUUM (ANALYZE)')
    finally:
        await connection.close()


async def run_extra_sql(database: Database, statements: list[str]) -> None:
    """SQL given on the command line (--sqlite-sql / --pg-sql), to try a fix; then ANALYZE again."""
    for statement in statements:
        print(f'    extra SQL: {statement}')
        async with database.engine.begin() as connection:  # type: ignore[union-attr]
            await connection.execute(text(statement))
    async with database.engine.begin() as connection:  # type: ignore[union-attr]
        await connection.execute(text('ANALYZE'))


@asynccontextmanager
async def scratch_database(backend: str, prefix: str = 'bench_requests') -> AsyncIterator[tuple[str, str | None]]:
    """(SQLAlchemy URL, asyncpg DSN or None) of an empty database that is removed on exit.

    SQLite: a file in a temporary directory. PostgreSQL: a fresh `<prefix>_<random>`, dropped WITH (FORCE).
    """
    if backend == 'sqlite':
        temp_dir = tempfile.mkdtemp(prefix=f'{prefix}_')
        try:
            yield f'sqlite+aiosqlite:///{temp_dir}/bench.db', None
        finally:
            shutil.rmtree(temp_dir, ignore_errors=True)
        return
    db_name = f'{prefix}_{uuid.uuid4().hex[:10]}'
    await _admin(f'CREATE DATABASE "{db_name}"')
    try:
        yield (f'postgresql+asyncpg://postgres@127.0.0.1:5432/{db_name}',
               f'postgresql://postgres@127.0.0.1:5432/{db_name}')
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


async def _admin(statement: str) -> None:
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await admin.execute(statement)
    finally:
        await admin.close()
