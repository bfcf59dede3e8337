"""Fixtures: a fresh database per test on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from nicegui.testing.user import User
from nicegui.testing.user_simulation import user_simulation
from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.desk import Desk
from storage.database import Database
from storage.models import Base
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.webhook_receiver import Receiver

pytest_plugins: list[str] = []
MAIN = Path(__file__).parent.parent / 'main.py'
# The shipped rows (workflows, queues, the Orders rule) as the migrations made them: restored before each
# PostgreSQL test, since tests may edit workflows and rules and one database serves the whole run there.
SHIPPED_TABLES = ('workflows', 'workflow_statuses', 'workflow_transitions', 'queues', 'rules')
_shipped: dict[str, list[dict[str, object]]] = {}
BACKENDS = ['sqlite', 'postgresql']


@pytest.fixture(scope='session')
def postgres_url() -> Iterator[str | None]:
    """One database for this run on TEST_DATABASE_URL's server, dropped at the end; None without it."""
    base = os.environ.get('TEST_DATABASE_URL')
    if not base:
        yield None
        return
    url = make_url(base).set(drivername='postgresql+asyncpg', database=f'switchboard_test_{uuid.uuid4().hex[:12]}')
    admin_dsn = make_url(base).set(drivername='postgresql', database='postgres').render_as_string(hide_password=False)
    _run(_admin(admin_dsn, f'CREATE DATABASE "{url.database}"'))
    yield url.render_as_string(hide_password=False)
    _run(_admin(admin_dsn, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))


def _run(coroutine) -> None:  # session fixtures run outside any test's event loop
    asyncio.run(coroutine)


@pytest.fixture(scope='session')
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file the migrations brought to head once per run: each test starts from a copy of it.

    Migrating from nothing (SQLite's batch table rebuilds) took ~0.5 s of every SQLite test; a copy takes ~1 ms.
    tests/storage/test_database.py still takes the migrations down to nothing and up again.
    """
    path = tmp_path_factory.mktemp('template') / 'migrated.db'

    async def migrate() -> None:
        database = Database(f'sqlite+aiosqlite:///{path}')
        database.start()
        try:
            await database.ready()
        finally:
            await database.stop()

    _run(migrate())
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute('PRAGMA journal_mode=DELETE')  # folds the WAL in: the file alone is the database
    return path


def sqlite_copy(template: Path, target: Path) -> str:
    """The URL of a fresh copy of the migrated template at `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return f'sqlite+aiosqlite:///{target}'


@pytest.fixture(autouse=True)
def forget_endpoints() -> Iterator[None]:
    """After each test, let go of its app and freeze what is still alive, so later full collections skip it.

    NiceGUI's test harness runs gc.collect() twice per simulated app; walking the imports and what earlier tests
    left behind made that seconds a test late in the run. Frozen objects are only skipped by the collector.

    Each simulated app registers new endpoint closures over its own Desk; FastAPI classifies them in lru_caches
    of 4096 entries, so dozens of finished apps (engines, pages, clients) stayed reachable and every full garbage
    collection walked them (a long-running server registers its routes once). What survives the collection here
    is held by such caches anyway; freezing it keeps NiceGUI's two gc.collect() per simulated app cheap.
    """
    yield
    from fastapi.dependencies import models
    for value in vars(models).values():
        if hasattr(value, 'cache_clear'):
            value.cache_clear()
    gc.collect()
    gc.freeze()


async def _admin(dsn: str, statement: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None,
                 sqlite_template: Path) -> str:
    if request.param == 'sqlite':
        return sqlite_copy(sqlite_template, tmp_path / 'test.db')
    if postgres_url is None:
        pytest.skip('PostgreSQL: set TEST_DATABASE_URL')
    return postgres_url


@pytest.fixture
async def desk(database_url: str, tmp_path: Path) -> AsyncIterator[Desk]:
    """The services on a clean database, without NiceGUI."""
    database = Database(database_url)
    database.start()
    await database.ready()
    if not database.is_sqlite:
        async with database.engine.begin() as connection:  # type: ignore[union-attr]
            await _reset(connection)
    desk = Desk.build(database, secret_key='test secret', bcrypt_rounds=4, files_dir=tmp_path / 'files')
    yield desk
    await desk.stop()


async def _reset(connection: AsyncConnection) -> None:
    """Empty every table, then put the shipped rows back with their ids (cheaper than a new database)."""
    tables = Base.metadata.tables
    if not _shipped:
        for name in SHIPPED_TABLES:
            _shipped[name] = [dict(row._mapping) for row in await connection.execute(select(tables[name]))]
    await connection.execute(text(f'TRUNCATE {", ".join(tables)} RESTART IDENTITY CASCADE'))
    for name in SHIPPED_TABLES:
        await connection.execute(insert(tables[name]), _shipped[name])
        if 'id' in tables[name].c:
            await connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                          f'(SELECT max(id) FROM {name}))'))


PATCHES_ON = os.environ.get('PATCHES', 'on').lower() != 'off'  # as settings.py reads it


@pytest.fixture(autouse=True, scope='session')
def patches_as_set() -> None:
    """The whole run with the patches PATCHES says, from its first test on, not only once main.py has run."""
    import patches
    patches.install_all(PATCHES_ON, long_running=False)


@pytest.fixture(autouse=True, scope='session')
def patient_user() -> Iterator[None]:
    """Wait up to 6 s for what a user should see, and up to 4 s for what they should no longer see: the stock 0.3 s
    is too short on a busy two-core CI, and so was 2 s for building the three-pane desk under the whole suite with
    coverage, or with PATCHES=off (its page was still empty, nothing else wrong). A check that passes returns as
    soon as it does."""
    see, not_see = User.should_see, User.should_not_see

    async def should_see(self: User, *args: Any, retries: int = 60, **kwargs: Any) -> None:
        await see(self, *args, retries=retries, **kwargs)

    async def should_not_see(self: User, *args: Any, retries: int = 40, **kwargs: Any) -> None:
        await not_see(self, *args, retries=retries, **kwargs)

    User.should_see, User.should_not_see = should_see, should_not_see  # type: ignore[method-assign]
    yield
    User.should_see, User.should_not_see = see, not_see  # type: ignore[method-assign]


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_template: Path) -> Path:
    """Settings for main.py: a fresh SQLite file and data directory, cheap password hashing."""
    monkeypatch.setenv('DATA_DIR', str(tmp_path / 'data'))
    monkeypatch.setenv('DATABASE_URL', sqlite_copy(sqlite_template, tmp_path / 'app.db'))
    monkeypatch.setenv('BCRYPT_ROUNDS', '4')
    monkeypatch.setenv('SECRET_KEY', 'test secret')
    monkeypatch.delenv('DEFAULT_LANGUAGE', raising=False)
    return tmp_path


@pytest.fixture
async def user(app_env: Path, caplog: pytest.LogCaptureFixture) -> AsyncIterator[User]:
    """NiceGUI's simulated user on main.py; ERROR logs fail the test after the app has shut down cleanly."""
    from tests.ui.steps import answer_time_zone
    from ui import app as web
    async with user_simulation(main_file=MAIN) as simulated:
        answer_time_zone(simulated, 'UTC')  # the simulated browser's zone, which a test may change before opening
        assert web.current is not None
        await web.current.ready()
        yield simulated
    errors = [record for record in caplog.get_records('call') if record.levelname == 'ERROR']
    if errors:
        pytest.fail(f'ERROR logged: {errors[0].getMessage()}', pytrace=False)


@pytest.fixture
async def create_user(user: User) -> AsyncIterator[Callable[[], User]]:
    """More simulated users on the same app (another browser each)."""
    import httpx
    from nicegui import core

    clients: list[httpx.AsyncClient] = []

    from tests.ui.steps import answer_time_zone

    def make() -> User:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://test')
        clients.append(client)
        return answer_time_zone(User(client), 'UTC')

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
def running_desk(user: User) -> Desk:
    from ui import app as web
    assert web.current is not None
    return web.current


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A webhook receiver on 127.0.0.1, up, for the domain, API and UI tests; a test may stop() and start() it."""
    server = Receiver()
    await server.start()
    yield server
    await server.stop(hold=False)
    server.close()


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotApi]:
    """The fake Telegram Bot API on 127.0.0.1, in the test's event loop (the channel and API tests)."""
    fake = FakeBotApi()
    await fake.start()
    yield fake
    await fake.stop()
