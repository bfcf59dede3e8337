"""How storage runs statements: hot ones straight on asyncpg while patches.direct is on, the rest through SQLAlchemy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable

from patches import direct
from patches.direct import hot

__all__ = ['fetch', 'hot', 'scalar']


async def fetch(connection: AsyncConnection, statement: Executable, params: Mapping[str, Any]) -> Sequence[Any]:
    """The rows of `statement`: read them by position (tuples when straight, SQLAlchemy's rows otherwise)."""
    if direct.goes_straight(connection, statement, params):
        return await direct.fetch(connection, statement, params)
    result = await connection.execute(statement, params)
    return result.all() if result.returns_rows else []


async def scalar(connection: AsyncConnection, statement: Executable, params: Mapping[str, Any]) -> Any:
    """The first column of the first row, or None."""
    rows = await fetch(connection, statement, params)
    return rows[0][0] if rows else None
