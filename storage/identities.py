"""Identities: a user's accounts at outside providers (OAuth subjects), looked up by (provider, subject)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .constraints import refused_as_conflict
from .models import Identity


@dataclass(frozen=True)
class IdentityRow:
    provider: str
    subject: str
    created_at: datetime


class IdentityRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def owner(self, provider: str, subject: str) -> int | None:
        """The id of the user linked to this outside account, if any."""
        return await self.connection.scalar(
            select(Identity.user_id).where(Identity.provider == provider, Identity.subject == subject))

    @refused_as_conflict
    async def add(self, *, user_id: int, provider: str, subject: str) -> None:
        # A subject linked a moment ago by another request fails here, not at commit.
        await self.connection.execute(insert(Identity.__table__).values(user_id=user_id, provider=provider,
                                                                        subject=subject))

    async def of_user(self, user_id: int) -> list[IdentityRow]:
        rows = await self.connection.execute(
            select(Identity.provider, Identity.subject, Identity.created_at)
            .where(Identity.user_id == user_id).order_by(Identity.provider, Identity.id))
        return [IdentityRow(*row) for row in rows]
