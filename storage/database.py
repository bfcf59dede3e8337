"""The engine, migrations at start, and a readiness signal every session waits for."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / 'migrations'


# PostgreSQL's answers while it shuts down or starts up: admin shutdown (a restart ends every session), crash
# shutdown, and "cannot connect now" ("the database system is shutting down / starting up"). asyncpg raises them
# as PostgresErrors and SQLAlchemy wraps them as a plain DBAPIError, neither invalidated nor an OperationalError.
AWAY_STATES = frozenset({'57P01', '57P02', '57P03'})


def connection_lost(error: BaseException) -> bool:
    """Whether `error` says the database is away (restarting, refusing or dropping connections), which passes,
    rather than that something asked of it was wrong."""
    if isinstance(error, DBAPIError):
        return error.connection_invalidated or isinstance(error, OperationalError) or _away_state(error.orig)
    return isinstance(error, (OSError, TimeoutError)) or _away_state(error)


def _away_state(error: BaseException | None) -> bool:
    # The driver's SQLSTATE; class 08 is "connection exception" (the connection itself failed).
    state = getattr(error, 'sqlstate', None) or getattr(error, 'pgcode', None)
    return isinstance(state, str) and (state in AWAY_STATES or state.startswith('08'))


class Database:
    """Owns the engine; `start` is cheap and synchronous, `migrate` runs once before any connection is used."""

    def __init__(self, url: str, *, pool_size: int = 30, max_overflow: int = 0) -> None:
        self.url = url
        # Connections beyond pool_size are closed when handed back while others are out, and opening one costs a
        # new PostgreSQL process, a sign-in and every statement prepared again: with 20 and 10 more for bursts, the
        # agents of bench/live_load.py scenario 8 answering together opened five a second. So the pool keeps every
        # connection it opens (at most pool_size; it opens them only as the load needs them).
        self.pool_size, self.max_overflow = pool_size, max_overflow
        self.engine: AsyncEngine | None = None
        self._read_engine: AsyncEngine | None = None
        self._ready: asyncio.Event | None = None
        self._migration: asyncio.Task[None] | None = None
        self.write_lock = asyncio.Lock()  # SQLite: see UnitOfWork

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith('sqlite')

    def start(self) -> None:
        if self.engine is not None:
            return
        # No pre-ping: on asyncpg it is three round trips (BEGIN, ping, ROLLBACK) on every checkout, more than many
        # requests' own work. A connection found dead invalidates the whole pool instead (SQLAlchemy does that on a
        # disconnect error), so after a database restart one call fails and the next get fresh connections; the
        # event bridge drops the pool as soon as it reconnects (forget_connections), before pages re-read.
        # Rows are read by position or name, never keyed by column objects: so a statement that hits the compiled
        # cache needs no new key map for its result. SQLAlchemy builds one per execution otherwise, comparing each
        # column of the new statement with the cached one's by building SQL expressions (about a third of a
        # one-select read's CPU here); its ORM turns this off the same way.
        options: dict[str, Any] = {'pool_recycle': 1800,
                                   'execution_options': {'_result_disable_adapt_to_context': True}}
        if not self.is_sqlite:
            options.update(pool_size=self.pool_size, max_overflow=self.max_overflow)
        self.engine = create_async_engine(self.url, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, 'connect', _sqlite_pragmas)
        # Reads run without a transaction: no BEGIN and ROLLBACK round trips around one or two selects.
        self._read_engine = self.engine.execution_options(isolation_level='AUTOCOMMIT')
        self._ready = asyncio.Event()
        self._migration = asyncio.get_running_loop().create_task(self._migrate())

    async def _migrate(self) -> None:
        assert self.engine is not None and self._ready is not None
        try:
            async with self.engine.begin() as connection:
                await connection.run_sync(upgrade_to_head)
        except Exception:
            log.exception('database migration failed')
            raise
        self._ready.set()

    @property
    def is_ready(self) -> bool:
        """Whether the migrations are applied, without waiting."""
        return self._ready is not None and self._ready.is_set()

    async def ready(self) -> None:
        """Wait until migrations are applied (raises if they failed)."""
        assert self._ready is not None and self._migration is not None, 'Database.start() was not called'
        if not self._ready.is_set():
            await asyncio.shield(self._migration)

    def connect(self, *, read_only: bool = False) -> AsyncConnection:
        """A connection (`async with`, or `await ….start()`); a read-only one runs each statement on its own."""
        assert self.engine is not None and self._read_engine is not None, 'Database.start() was not called'
        return (self._read_engine if read_only else self.engine).connect()

    def idle_connection(self) -> bool:
        """Whether one is waiting in the pool on PostgreSQL, where taking it or handing it back outside a
        transaction asks nothing of the server (SQLite's driver does both in its own thread)."""
        assert self.engine is not None, 'Database.start() was not called'
        return not self.is_sqlite and self.engine.sync_engine.pool.checkedin() > 0  # type: ignore[attr-defined]

    def forget_connections(self) -> None:
        """Open new connections from now on (the server restarted); ones in use are dropped when handed back."""
        if self.engine is not None:
            self.engine.sync_engine.dispose(close=False)

    async def stop(self) -> None:
        if self.engine is None:
            return
        engine, self.engine, self._read_engine = self.engine, None, None
        if self._migration is not None and not self._migration.done():
            self._migration.cancel()
        await engine.dispose()


def alembic_config(connection: Connection | None = None) -> Config:
    # Built in code, not from alembic.ini: fileConfig() would disable NiceGUI's loggers.
    config = Config()
    config.set_main_option('script_location', str(MIGRATIONS))
    config.attributes['connection'] = connection
    return config


def upgrade_to_head(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), 'head')


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute('PRAGMA journal_mode=WAL')
    cursor.execute('PRAGMA foreign_keys=ON')
    cursor.execute('PRAGMA busy_timeout=5000')
    cursor.execute('PRAGMA synchronous=NORMAL')
    cursor.close()
