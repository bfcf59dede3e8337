"""PostgreSQL's hot statements straight to asyncpg: SQLAlchemy compiles them once, asyncpg runs them.

SQLAlchemy's execution of an already compiled statement (its execution context, cursor adapter, greenlet hop and
result objects) cost about 0.11 ms per statement here, as much as asyncpg's own work for a page of 25 rows; the
API's calls run one to eight statements each. A statement declared `hot` (built once, at import) runs on the
connection's asyncpg connection directly, in the same transaction, with SQLAlchemy's bind processing and its
errors. One that needs what only SQLAlchemy's execution does — Python-side column defaults, expanding IN lists,
result processing — runs through SQLAlchemy as before, and so does everything on SQLite.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable

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


async def fetch(connection: AsyncConnection, statement: Executable, params: Mapping[str, Any]) -> Sequence[Any]:
    """The rows of `statement` (tuples: read them by position), straight on asyncpg when it is hot."""
    plan = _plan(connection, statement, params)
    if plan is None:
        result = await connection.execute(statement, params)
        return result.all() if result.returns_rows else []
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


async def scalar(connection: AsyncConnection, statement: Executable, params: Mapping[str, Any]) -> Any:
    """The first column of the first row, or None."""
    rows = await fetch(connection, statement, params)
    return rows[0][0] if rows else None


def goes_straight(connection: AsyncConnection, statement: Executable, params: Mapping[str, Any]) -> bool:
    """Whether `fetch` runs this statement with these parameter names straight on asyncpg."""
    return _plan(connection, statement, params) is not None


def _plan(connection: AsyncConnection, statement: Executable, params: Mapping[str, Any]) -> _Plan | None:
    if id(statement) not in _HOT or connection.dialect.name != 'postgresql' or connection.dialect.driver != 'asyncpg':
        return None
    key = (id(statement), frozenset(params))
    try:
        return _plans[key]
    except KeyError:
        plan = _plans[key] = _compiled(connection, statement, params)
        return plan


def _compiled(connection: AsyncConnection, statement: Executable, params: Mapping[str, Any]) -> _Plan | None:
    """The statement's SQL and argument order, or None when only SQLAlchemy's execution would run it right."""
    dialect = connection.dialect
    try:
        compiled = statement.compile(dialect=dialect, column_keys=sorted(params))
        result_types = [column[3] for column in compiled._result_columns]  # type: ignore[attr-defined]
        needs_sqlalchemy = (compiled.insert_prefetch or compiled.update_prefetch  # type: ignore[attr-defined]
                            or compiled.literal_execute_params or compiled.post_compile_params
                            or any(kind._cached_result_processor(dialect, None) is not None for kind in result_types))
        if needs_sqlalchemy or compiled.positiontup is None:
            return None
        processors = compiled._bind_processors  # type: ignore[attr-defined]
        names = tuple(compiled.positiontup)
        adapter = connection.sync_connection.connection.dbapi_connection  # type: ignore[union-attr]
        for attribute in ('_execute_mutex', '_transaction', '_start_transaction', '_connection', '_handle_exception'):
            getattr(adapter, attribute)  # this SQLAlchemy's asyncpg adapter is the one this module was written for
        return _Plan(str(compiled), compiled.construct_params, names, tuple(processors.get(name) for name in names))
    except Exception:
        log.warning('running a hot statement through SQLAlchemy: it cannot go straight to asyncpg', exc_info=True)
        return None


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
