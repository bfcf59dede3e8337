"""PostgreSQL's hot statements straight to asyncpg: SQLAlchemy compiles them once, asyncpg runs them.

SQLAlchemy's execution of an already compiled statement (its execution context, cursor adapter, greenlet hop and
result objects) cost about 0.11 ms per statement here, as much as asyncpg's own work for a page of 25 rows; the
API's calls run one to eight statements each. A statement declared `hot` (built once, at import) runs on the
connection's asyncpg connection directly, in the same transaction, with SQLAlchemy's bind processing and its
errors. One that needs what only SQLAlchemy's execution does — Python-side column defaults, expanding IN lists,
result processing — runs through SQLAlchemy as before, and so does everything on SQLite (storage.execution is the
switch: it asks `goes_straight`, which is False for everything while this patch is not installed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable

from .guard import Switch, Versions, broken, guarding

VERIFIED = {'sqlalchemy': Versions('>=2.1.9,<2.2'), 'asyncpg': Versions('>=0.32.0,<0.33')}
log = logging.getLogger(__name__)
E = TypeVar('E', bound=Executable)
_HOT: dict[int, Executable] = {}  # id -> statement; holding it keeps the id from being reused


def hot(statement: E) -> E:
    """Declare a statement that lives as long as the process (built at import, or cached): see the module."""
    _HOT[id(statement)] = statement
    return statement


@dataclass(frozen=True)
class _Plan:
    sql: str
    construct: Callable[[Mapping[str, Any]], dict[str, Any]]
    names: tuple[str, ...]
    processors: tuple[Callable[[Any], Any] | None, ...]

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        values = self.construct(params)
        return [value if process is None else process(value)
                for value, process in zip((values[name] for name in self.names), self.processors, strict=True)]


_plans: dict[tuple[int, frozenset[str]], _Plan | None] = {}  # by statement and parameter names
_switch = Switch()
install, uninstall, installed = _switch.install, _switch.uninstall, _switch.installed
ADAPTER = ('_execute_mutex', '_transaction', '_start_transaction', '_connection', '_handle_exception')


async def fetch(connection: AsyncConnection, statement: Executable, params: Mapping[str, Any]) -> Sequence[Any]:
    """The rows of a statement that `goes_straight` (tuples: read them by position), straight on asyncpg."""
    plan = _plan(connection, statement, params)
    if plan is None:
        raise ValueError('not a statement that goes straight to asyncpg: run it through storage.execution')
    adapter = connection.sync_connection.connection.dbapi_connection  # type: ignore[union-attr]
    arguments = plan.arguments(params)
    events = connection.sync_engine.dispatch  # the engine's statement listeners see these too (tests, bench)
    for listener in events.before_cursor_execute:
        listener(connection.sync_connection, None, plan.sql, arguments, None, False)
    async with adapter._execute_mutex:  # as SQLAlchemy's own cursor does, from here on
        try:
            if adapter._transaction is None:
                await adapter._start_transaction()  # BEGIN, unless the connection is in autocommit
            rows = await adapter._connection.fetch(plan.sql, *arguments)
        except Exception as error:
            raised = _as_sqlalchemy(connection, adapter, plan.sql, arguments, error)
            if raised.connection_invalidated:  # as SQLAlchemy does: no connection older than this one is used again
                connection.sync_connection.invalidate(raised.orig)
                await connection.engine.dispose()
            raise raised from error
    for listener in events.after_cursor_execute:
        listener(connection.sync_connection, None, plan.sql, arguments, None, False)
    return rows


def goes_straight(connection: AsyncConnection, statement: Executable, params: Mapping[str, Any]) -> bool:
    """Whether `fetch` runs this statement with these parameter names straight on asyncpg."""
    return _plan(connection, statement, params) is not None


def _plan(connection: AsyncConnection, statement: Executable, params: Mapping[str, Any]) -> _Plan | None:
    if (not _switch.on or id(statement) not in _HOT or connection.dialect.name != 'postgresql'
            or connection.dialect.driver != 'asyncpg'):
        return None
    key = (id(statement), frozenset(params))
    try:
        return _plans[key]
    except KeyError:
        plan = _plans[key] = _compiled(connection, statement, params)
        return plan


def _compiled(connection: AsyncConnection, statement: Executable, params: Mapping[str, Any]) -> _Plan | None:
    """The statement's SQL and argument order, or None when only SQLAlchemy's execution would run it right."""
    try:
        adapter = connection.sync_connection.connection.dbapi_connection  # type: ignore[union-attr]
        for attribute in ADAPTER:
            getattr(adapter, attribute)  # this SQLAlchemy's asyncpg adapter is the one this module was written for
        return _compile(connection.dialect, statement, params)
    except Exception:
        log.warning('running a hot statement through SQLAlchemy: it cannot go straight to asyncpg', exc_info=True)
        return None


def _compile(dialect: Dialect, statement: Executable, params: Mapping[str, Any]) -> _Plan | None:
    compiled = statement.compile(dialect=dialect, column_keys=sorted(params))
    result_types = [column[3] for column in compiled._result_columns]  # type: ignore[attr-defined]
    needs_sqlalchemy = (compiled.insert_prefetch or compiled.update_prefetch  # type: ignore[attr-defined]
                        or compiled.literal_execute_params or compiled.post_compile_params
                        or any(kind._cached_result_processor(dialect, None) is not None for kind in result_types))
    if needs_sqlalchemy or compiled.positiontup is None:
        return None
    processors = compiled._bind_processors  # type: ignore[attr-defined]
    names = tuple(compiled.positiontup)
    return _Plan(str(compiled), compiled.construct_params, names, tuple(processors.get(name) for name in names))


def _as_sqlalchemy(connection: AsyncConnection, adapter: Any, sql: str, arguments: list[Any],
                   error: Exception) -> DBAPIError:
    """`error` as SQLAlchemy raises it (IntegrityError and the like), telling whether the connection is lost."""
    dialect = connection.dialect
    dbapi_error = dialect.loaded_dbapi.Error
    try:
        adapter._handle_exception(error)  # raises the DB-API flavour of the error
    except dbapi_error as adapted:
        lost = dialect.is_disconnect(adapted, adapter, None)  # as SQLAlchemy asks: is the driver's connection closed?
        return DBAPIError.instance(sql, arguments, adapted, dbapi_error, connection_invalidated=lost, dialect=dialect)
    raise error  # pragma: no cover - the adapter raises every error it is given


_probe: dict[str, Executable] = {}


def _probes() -> dict[str, Executable]:
    """The statements the check runs, built once (a hot statement lives as long as the process)."""
    if not _probe:
        from sqlalchemy import Integer, bindparam, literal_column, select
        _probe['read'] = hot(select(literal_column('1', Integer).label('one'), bindparam('value', type_=Integer)))
        _probe['fail'] = hot(select(literal_column('1 / 0', Integer)))
    return _probe


async def check(connection: AsyncConnection | None = None) -> None:
    """SQLAlchemy compiles a hot statement into SQL, argument order and bind processors for asyncpg; on a PostgreSQL
    `connection` the asyncpg adapter's privates also run it, read what SQLAlchemy reads, and turn asyncpg's
    errors into SQLAlchemy's."""
    from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

    probes = _probes()
    with guarding('sqlalchemy', VERIFIED, 'compiling a hot statement for asyncpg'):
        plan = _compile(asyncpg_dialect(), probes['read'], {'value': 7})
        if plan is None or plan.names != ('value',) or plan.arguments({'value': 7}) != [7] or '$1' not in plan.sql:
            raise broken('sqlalchemy', VERIFIED, f'a plain select compiled to {plan}')
    if connection is None:
        return
    was_installed = installed()
    install()
    try:
        with guarding('sqlalchemy', VERIFIED, "running a hot statement on the asyncpg adapter's privates"):
            if not goes_straight(connection, probes['read'], {'value': 7}):
                raise broken('sqlalchemy', VERIFIED, 'a hot select does not go straight on this connection')
            straight = [tuple(row) for row in await fetch(connection, probes['read'], {'value': 7})]
            through = [tuple(row) for row in (await connection.execute(probes['read'], {'value': 7})).all()]
            if straight != through:
                raise broken('sqlalchemy', VERIFIED, f'straight read {straight}, SQLAlchemy read {through}')
        try:
            await fetch(connection, probes['fail'], {})
        except DBAPIError as error:
            if type(error.orig).__name__ != 'DivisionByZeroError' and 'division' not in str(error):
                raise broken('asyncpg', VERIFIED, f'division by zero came back as {error!r}') from error
        except Exception as error:
            raise broken('sqlalchemy', VERIFIED, f'an asyncpg error came through as {error!r}, not SQLAlchemy\'s '
                         'DBAPIError') from error
        else:
            raise broken('asyncpg', VERIFIED, 'dividing by zero raised nothing')
    finally:
        if not was_installed:
            uninstall()
