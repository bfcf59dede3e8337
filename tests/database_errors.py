"""Database errors as the app meets them: asyncpg's own, wrapped the way SQLAlchemy wraps them."""

from __future__ import annotations

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_dbapi
from sqlalchemy.exc import DBAPIError

# What PostgreSQL answers while it restarts: 57P01 to connections it ends, 57P03 to new ones until it is up.
RESTARTING = (asyncpg.exceptions.AdminShutdownError('terminating connection due to administrator command'),
              asyncpg.exceptions.CannotConnectNowError('the database system is shutting down'),
              asyncpg.exceptions.CannotConnectNowError('the database system is starting up'),
              asyncpg.exceptions.CrashShutdownError('terminating connection because of crash of another process'))


def as_sqlalchemy_raises(error: Exception) -> DBAPIError:
    """`error` as SQLAlchemy hands an asyncpg error up: the driver's Error wrapped in a DBAPIError."""
    dbapi = AsyncAdapt_asyncpg_dbapi(asyncpg)
    try:
        try:
            raise error
        except Exception as raw:
            raise dbapi.Error(raw.args[0], raw) from raw
    except Exception as translated:
        return DBAPIError.instance('SELECT 1', {}, translated, dbapi.Error)
