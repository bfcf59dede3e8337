"""API refresh tokens: issued, used up once each, and revoked by family or by user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .models import RefreshToken, User


@dataclass(frozen=True)
class RefreshTokenRow:
    id: int
    jti: str
    family: str
    user_id: int
    session_version: int  # the family's, from its sign-in
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None
    user_session_version: int  # the user's now
    user_is_active: bool


class RefreshTokenRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def add(self, *, jti: str, family: str, user_id: int, session_version: int, created_at: datetime,
                  expires_at: datetime) -> None:
        await self.connection.execute(insert(RefreshToken.__table__).values(
            jti=jti, family=family, user_id=user_id, session_version=session_version, created_at=created_at,
            expires_at=expires_at))

    async def find(self, jti: str) -> RefreshTokenRow | None:
        """The token with its user's current session version and state, in one read."""
        row = (await self.connection.execute(
            select(RefreshToken.id, RefreshToken.jti, RefreshToken.family, RefreshToken.user_id,
                   RefreshToken.session_version, RefreshToken.expires_at, RefreshToken.used_at,
                   RefreshToken.revoked_at, User.session_version, User.is_active)
            .join(User, User.id == RefreshToken.user_id)
            .where(RefreshToken.jti == jti))).one_or_none()
        return RefreshTokenRow(*row) if row else None

    async def use(self, token_id: int, now: datetime) -> bool:
        """Mark the token used; False when it already was (or was revoked) — by a concurrent refresh, say."""
        result = await self.connection.execute(
            update(RefreshToken)
            .where(RefreshToken.id == token_id, RefreshToken.used_at.is_(None), RefreshToken.revoked_at.is_(None))
            .values(used_at=now))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def revoke_family(self, family: str, now: datetime) -> None:
        await self.connection.execute(update(RefreshToken)
                                   .where(RefreshToken.family == family, RefreshToken.revoked_at.is_(None))
                                   .values(revoked_at=now))

    async def revoke_user(self, user_id: int, now: datetime) -> None:
        await self.connection.execute(update(RefreshToken)
                                   .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
                                   .values(revoked_at=now))

    async def purge_expired(self, user_id: int, now: datetime) -> None:
        """Drop the user's expired tokens, so the table holds live chains only (a reuse of them fails anyway)."""
        await self.connection.execute(delete(RefreshToken)
                                   .where(RefreshToken.user_id == user_id, RefreshToken.expires_at < now))
