"""Hot statements straight to asyncpg: the same rows, the same transaction and the same errors as through SQLAlchemy."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from domain.desk import Desk
from patches import direct
from storage import execution
from storage.execution import hot
from storage.models import Request, User, utcnow
from tests.factories import make_request, make_user

_USER = hot(select(User.id, User.username, User.created_at).where(User.id == bindparam('user_id')))
_ADD_USER = hot(insert(User.__table__).returning(User.__table__.c.id))
_RENAME = hot(update(User.__table__).where(User.__table__.c.id == bindparam('user_id'))
              .values(display_name=bindparam('name')))


@pytest.fixture(autouse=True)
def straight() -> None:
    direct.install()  # whatever PATCHES says for the run (tests/patches/conftest.py puts it back)


def _new_user(name: str) -> dict[str, object]:
    return {'username': name, 'username_key': name, 'display_name': name, 'password_hash': None, 'role': 'customer',
            'is_active': True, 'session_version': 1, 'notify_events': [], 'created_at': utcnow()}


async def test_a_hot_select_reads_what_sqlalchemy_reads(desk: Desk) -> None:
    user = await make_user(desk)
    async with desk.database.connect(read_only=True) as connection:
        assert direct.goes_straight(connection, _USER, {'user_id': user.id}) is not desk.database.is_sqlite
        straight = await execution.fetch(connection, _USER, {'user_id': user.id})
        through = (await connection.execute(_USER, {'user_id': user.id})).all()
        assert [tuple(row) for row in straight] == [tuple(row) for row in through]
        assert straight[0][2].tzinfo is not None  # times arrive with their zone on both databases
        assert await execution.scalar(connection, _USER, {'user_id': 0}) is None


async def test_a_hot_write_is_part_of_the_transaction_and_rolls_back_with_it(desk: Desk) -> None:
    async with desk.database.connect() as connection:
        await connection.begin()
        assert direct.goes_straight(connection, _ADD_USER, _new_user('rolled-back')) is not desk.database.is_sqlite
        added = await execution.scalar(connection, _ADD_USER, _new_user('rolled-back'))  # the first statement
        assert await connection.scalar(select(User.username).where(User.id == added)) == 'rolled-back'
        await connection.rollback()
    async with desk.database.connect() as connection:
        assert await connection.scalar(select(User.id).where(User.username == 'rolled-back')) is None


async def test_a_constraint_broken_straight_raises_sqlalchemys_integrity_error(desk: Desk) -> None:
    await make_user(desk, username='taken')
    async with desk.database.connect() as connection:
        await connection.begin()
        with pytest.raises(IntegrityError):
            await execution.fetch(connection, _ADD_USER, _new_user('taken'))
        await connection.rollback()
    async with desk.database.connect(read_only=True) as connection:  # the connection went back to the pool fine
        assert await connection.scalar(select(User.id).where(User.username == 'taken')) is not None


async def test_statements_not_declared_hot_go_through_sqlalchemy(desk: Desk) -> None:
    author = await make_user(desk)
    request_id = await make_request(desk, author, title='Printer on floor 3 is jammed')
    built_per_call = select(Request.title).where(Request.id == request_id)
    user_defaults_left_out = {'username': 'no-defaults', 'username_key': 'no-defaults', 'display_name': 'x',
                              'password_hash': None, 'created_at': utcnow()}
    async with desk.database.connect(read_only=True) as connection:
        assert not direct.goes_straight(connection, built_per_call, {})
        assert [tuple(row) for row in await execution.fetch(connection, built_per_call, {})] == \
            [('Printer on floor 3 is jammed',)]
    async with desk.database.connect() as connection:
        await connection.begin()
        # role, is_active and the like take Python-side defaults, which only SQLAlchemy's execution fills in
        assert not direct.goes_straight(connection, _ADD_USER, user_defaults_left_out)
        added = await execution.scalar(connection, _ADD_USER, user_defaults_left_out)
        assert (await connection.execute(select(User.role, User.is_active).where(User.id == added))).one() == \
            ('customer', True)
        await connection.rollback()


async def test_a_connection_lost_under_a_straight_statement_is_not_used_again(desk: Desk) -> None:
    if desk.database.is_sqlite:
        pytest.skip('PostgreSQL: a server-side connection to lose')
    user = await make_user(desk)
    async with desk.database.connect(read_only=True) as victim:
        pid = await victim.scalar(text('SELECT pg_backend_pid()'))
        async with desk.database.connect(read_only=True) as other:
            await other.execute(text('SELECT pg_terminate_backend(:pid)'), {'pid': pid})
        driver = (await victim.get_raw_connection()).driver_connection
        for _ in range(100):  # until the client has seen the server hang up
            if driver.is_closed():
                break
            await asyncio.sleep(0.02)
        with pytest.raises(DBAPIError) as raised:
            await execution.fetch(victim, _USER, {'user_id': user.id})
        assert raised.value.connection_invalidated
    async with desk.database.connect(read_only=True) as fresh:  # the pool hands out a live one
        assert [row[0] for row in await execution.fetch(fresh, _USER, {'user_id': user.id})] == [user.id]


async def test_with_the_patch_off_hot_statements_go_through_sqlalchemy(desk: Desk) -> None:
    user = await make_user(desk)
    direct.uninstall()
    async with desk.database.connect(read_only=True) as connection:
        assert not direct.goes_straight(connection, _USER, {'user_id': user.id})
        assert [row[0] for row in await execution.fetch(connection, _USER, {'user_id': user.id})] == [user.id]


async def test_a_hot_update_without_returning_gives_no_rows(desk: Desk) -> None:
    user = await make_user(desk)
    async with desk.database.connect() as connection:
        await connection.begin()
        assert await execution.fetch(connection, _RENAME, {'user_id': user.id, 'name': 'Renamed'}) == []
        assert await connection.scalar(select(User.display_name).where(User.id == user.id)) == 'Renamed'
        await connection.rollback()
