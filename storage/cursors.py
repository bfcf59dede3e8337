"""Channel cursors: where a channel's intake stands (Telegram's next update id), one row per channel."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from .model_automation import ChannelCursor


class CursorRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def get(self, name: str) -> int | None:
        return await self.connection.scalar(select(ChannelCursor.value).where(ChannelCursor.name == name))

    async def advance(self, name: str, value: int) -> None:
        """Store `value` unless the cursor already stands further on (another instance got there first)."""
        insert = pg_insert if self.connection.dialect.name == 'postgresql' else sqlite_insert
        statement = insert(ChannelCursor).values(name=name, value=value)
        await self.connection.execute(statement.on_conflict_do_update(
            index_elements=['name'], set_={'value': statement.excluded.value},
            where=ChannelCursor.value < statement.excluded.value))
