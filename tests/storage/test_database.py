"""The schema through Alembic on both databases, and the unit of work's commit/rollback contract."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import event, inspect, select, text

from domain.desk import Desk
from storage.models import Base, Queue, User, Workflow
from storage.unit_of_work import UnitOfWork


async def test_migrations_create_every_table_of_the_models(desk: Desk) -> None:
    async with desk.database.engine.connect() as connection:  # type: ignore[union-attr]
        tables = set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    assert set(Base.metadata.tables) <= tables
    assert 'alembic_version' in tables


async def test_the_shipped_workflows_and_the_board_exist(desk: Desk) -> None:
    async with desk.database.connect() as connection:
        assert set(await connection.scalars(select(Workflow.name))) == {'Ticket', 'Order'}
        board = (await connection.execute(select(Queue).where(Queue.name == 'Board'))).one()
    assert board.visibility == 'public'


async def test_nothing_is_saved_or_published_without_commit(desk: Desk) -> None:
    published: list[object] = []
    async with UnitOfWork(desk.database, published.append, write=True) as uow:
        await uow.users.add(username='ghost', password_hash=None, role='customer')
        uow.emit('an event')
    async with desk.database.connect() as connection:
        assert (await connection.execute(select(User).where(User.username == 'ghost'))).first() is None
    assert published == []


async def test_events_go_out_after_the_commit(desk: Desk) -> None:
    published: list[object] = []
    async with UnitOfWork(desk.database, published.append, write=True) as uow:
        await uow.users.add(username='kept', password_hash=None, role='customer')
        uow.emit('an event')
        assert published == []
        await uow.commit()
    assert published == ['an event']


async def test_a_read_only_unit_of_work_refuses_to_commit(desk: Desk) -> None:
    async with UnitOfWork(desk.database, lambda event: None) as uow:
        assert await uow.users.get(1) is None
        with pytest.raises(RuntimeError, match='read-only'):
            await uow.commit()


async def test_writers_wait_their_turn_however_long_the_other_holds_on(desk: Desk) -> None:
    """A writer kept open longer than SQLite's busy timeout must not make the next one fail."""
    async def register(number: int, hold: float) -> None:
        async with UnitOfWork(desk.database, lambda _event: None, write=True) as uow:
            if desk.database.is_sqlite:
                await uow.connection.execute(text('PRAGMA busy_timeout=20'))
            await uow.users.add(username=f'writer{number}', password_hash=None, role='customer')
            await asyncio.sleep(hold)  # a busy event loop between two statements
            await uow.commit()

    await asyncio.gather(register(1, 0.3), register(2, 0.0), register(3, 0.0))
    async with desk.database.connect() as connection:
        names = set(await connection.scalars(select(User.username).where(User.username.like('writer%'))))
    assert names == {'writer1', 'writer2', 'writer3'}


async def test_starting_twice_and_stopping_twice_is_harmless(desk: Desk) -> None:
    desk.database.start()
    await desk.database.ready()
    await desk.database.stop()
    await desk.database.stop()


async def test_migrations_go_down_to_nothing_and_up_again(desk: Desk) -> None:
    from alembic import command

    from storage.database import alembic_config, upgrade_to_head

    def down(connection) -> None:
        command.downgrade(alembic_config(connection), 'base')

    engine = desk.database.engine
    assert engine is not None
    async with engine.begin() as connection:
        await connection.run_sync(down)
        tables = set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
        assert tables <= {'alembic_version'}
        await connection.run_sync(upgrade_to_head)
    async with desk.database.connect() as connection:
        assert set(await connection.scalars(select(Workflow.name))) == {'Ticket', 'Order'}


async def test_the_migrations_build_exactly_the_models(desk: Desk) -> None:
    import warnings

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def differences(connection) -> list[object]:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            found = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        # Indexes on DESC expressions cannot be compared: they come back as remove + add of the same name.
        removed = {d[1].name for d in found if d[0] == 'remove_index'}
        added = {d[1].name for d in found if d[0] == 'add_index'}
        expected = (removed & added) | {'ix_requests_title_trgm', 'ix_users_username_trgm'}  # PostgreSQL only: trigrams
        return [d for d in found if not (d[0] in {'remove_index', 'add_index'} and d[1].name in expected)]

    engine = desk.database.engine
    assert engine is not None
    async with engine.connect() as connection:
        assert await connection.run_sync(differences) == []
        indexes = await connection.run_sync(lambda sync: {i['name'] for i in inspect(sync).get_indexes('requests')})
    assert {'ix_requests_queue_created', 'ix_requests_queue_status_updated', 'ix_requests_queue_assignee_updated'} \
        <= indexes


async def test_an_idle_postgresql_connection_is_taken_and_handed_back_without_a_turn_of_the_event_loop(
        desk: Desk) -> None:
    """Each turn is a wait behind everything else ready to run: on a busy server two turns to take a connection
    and two to hand it back cost more than the reads themselves (bench/live_load.py scenario 8)."""
    if desk.database.is_sqlite:
        pytest.skip("SQLite's driver sets up and hands back each connection in its own thread")
    async with UnitOfWork(desk.database, print) as uow:
        await uow.connection.execute(text('SELECT 1'))  # now one waits in the pool
    others: list[str] = []
    asyncio.get_running_loop().call_soon(others.append, 'ran')  # runs at the event loop's next turn
    async with UnitOfWork(desk.database, print):
        assert others == []
    assert others == []
    await asyncio.sleep(0)
    assert others == ['ran']


async def test_connections_opened_for_a_burst_stay_for_the_next_one(desk: Desk) -> None:
    """Opening a PostgreSQL connection costs a new server process, a sign-in and the statements prepared on the
    old one: the pool closed those it opened beyond its usual size when handed back, and bench/live_load.py
    scenario 8 opened five a second, in the bursts where the agents answer together."""
    if desk.database.is_sqlite:
        pytest.skip('SQLite opens a file')
    opened: list[object] = []
    engine = desk.database.engine.sync_engine  # type: ignore[union-attr]

    def connected(*_: object) -> None:
        opened.append(1)

    async def burst() -> None:
        started, release = asyncio.Event(), asyncio.Event()
        waiting = 0

        async def read() -> None:
            nonlocal waiting
            async with UnitOfWork(desk.database, print) as uow:
                await uow.connection.execute(text('SELECT 1'))
                waiting += 1
                if waiting == 25:
                    started.set()
                await release.wait()
        tasks = [asyncio.create_task(read()) for _ in range(25)]  # more than twenty at once
        await started.wait()
        release.set()
        await asyncio.gather(*tasks)

    event.listen(engine, 'connect', connected)
    try:
        await burst()
        first = len(opened)
        await burst()
    finally:
        event.remove(engine, 'connect', connected)
    assert first >= 20 and len(opened) == first  # the second burst found them all in the pool
