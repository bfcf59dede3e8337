"""Users: lookups by id and username, creation, preferences."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from . import execution
from .constraints import refused_as_conflict
from .execution import hot
from .models import User
from .requests import escape_like
from .rows import UserRow


def user_columns(user: Any) -> tuple[Any, ...]:
    """The columns of a UserRow, in its order, of `user` (the table, or an alias of it in a join)."""
    return (user.id, user.username, user.display_name, user.role, user.is_active, user.session_version,
            user.locale, user.theme, user.time_zone)


_COLUMNS = user_columns(User)
# Built once, and straight on asyncpg: the read of who is signed in, in nearly every call.
_GET = hot(select(*_COLUMNS).where(User.id == bindparam('user_id')))


@dataclass(frozen=True)
class UserChoice:
    """A user as a picker offers them to staff: who they are and how to tell them apart."""

    id: int
    display_name: str
    username: str
    email: str | None
    role: str


_CHOICE = (User.id, User.display_name, User.username, User.email, User.role)


@dataclass(frozen=True)
class Contact:
    """How to reach a user outside the app, and what they asked to hear about."""

    id: int
    display_name: str
    is_active: bool
    locale: str | None
    email: str | None
    notify_events: tuple[str, ...]


@dataclass(frozen=True)
class AlertChoices:
    """What tells an agent of a customer's message besides the toast, and which unassigned tickets do."""

    sound: bool = False
    browser: bool = False
    queue_ids: tuple[int, ...] | None = None  # None: every queue of the inbox


class UserRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def get(self, user_id: int) -> UserRow | None:
        rows = await execution.fetch(self.connection, _GET, {'user_id': user_id})
        return UserRow(*rows[0]) if rows else None

    async def credentials(self, username_key: str) -> tuple[UserRow, str | None] | None:
        """The user and their password hash, by casefolded username."""
        row = (await self.connection.execute(
            select(*_COLUMNS, User.password_hash).where(User.username_key == username_key))).one_or_none()
        return (UserRow(*row[:-1]), row[-1]) if row else None

    async def named(self, username: str) -> UserRow | None:
        """A user by username, in any case."""
        row = (await self.connection.execute(
            select(*_COLUMNS).where(User.username_key == username.casefold()))).one_or_none()
        return UserRow(*row) if row else None

    async def exists(self, username_key: str) -> bool:
        found = await self.connection.scalar(select(User.id).where(User.username_key == username_key))
        return found is not None

    @refused_as_conflict
    async def add(self, *, username: str, password_hash: str | None, role: str, display_name: str | None = None) -> int:
        return (await self.connection.execute(insert(User.__table__).values(
            username=username, username_key=username.casefold(), display_name=display_name or username,
            password_hash=password_hash, role=role).returning(User.__table__.c.id))).scalar_one()

    async def set_preferences(self, user_id: int, **values: str | None) -> None:
        await self.connection.execute(update(User).where(User.id == user_id).values(**values))

    async def alert_choices(self, user_id: int) -> AlertChoices:
        row = (await self.connection.execute(select(User.alert_sound, User.alert_browser, User.alert_queues)
                                             .where(User.id == user_id))).one_or_none()
        if row is None:
            return AlertChoices()
        queues = row[2]
        return AlertChoices(bool(row[0]), bool(row[1]), None if queues is None else tuple(int(q) for q in queues))

    async def set_alert_choices(self, user_id: int, choices: AlertChoices) -> None:
        queues = None if choices.queue_ids is None else list(choices.queue_ids)
        await self.connection.execute(update(User).where(User.id == user_id).values(
            alert_sound=choices.sound, alert_browser=choices.browser, alert_queues=queues))

    async def staff(self, *, limit: int = 500) -> list[UserRow]:
        """Active agents and admins, by name: who a ticket can be assigned to."""
        rows = await self.connection.execute(select(*_COLUMNS).where(User.role.in_(('agent', 'admin')), User.is_active)
                                          .order_by(User.username_key).limit(limit))
        return [UserRow(*row) for row in rows]

    async def search(self, text: str, *, staff_only: bool, limit: int) -> list[UserChoice]:
        """Users whose name, username or email holds `text` (any case), by username; bounded by `limit`."""
        query = select(*_CHOICE).order_by(User.username_key).limit(limit)
        if staff_only:
            query = query.where(User.role.in_(('agent', 'admin')), User.is_active)
        if text:
            pattern = f'%{escape_like(text.casefold())}%'
            query = query.where(or_(User.username_key.like(pattern, escape='\\'),
                                    func.lower(User.display_name).like(pattern, escape='\\'),
                                    func.lower(User.email).like(pattern, escape='\\')))
        return [UserChoice(*row) for row in await self.connection.execute(query)]

    async def choices(self, user_ids: Iterable[int]) -> list[UserChoice]:
        ids = list(user_ids)
        if not ids:
            return []
        return [UserChoice(*row) for row in await self.connection.execute(select(*_CHOICE).where(User.id.in_(ids)))]

    async def page(self, *, search: str, offset: int, limit: int, after: str | None = None) -> list[UserRow]:
        """Users by casefolded name; `after` one such name, to page by key."""
        # A chat widget's anonymous visitors (role 'visitor') are no accounts an admin manages.
        query = select(*_COLUMNS).where(User.role != 'visitor').order_by(User.username_key).offset(offset).limit(limit)
        if after is not None:
            query = query.where(User.username_key > after)
        if search:
            query = query.where(User.username_key.like(f'%{escape_like(search.casefold())}%', escape='\\'))
        return [UserRow(*row) for row in await self.connection.execute(query)]

    async def set_role(self, user_id: int, role: str) -> None:
        await self.connection.execute(update(User).where(User.id == user_id).values(role=role))

    async def set_active(self, user_id: int, active: bool) -> None:
        """Deactivating also ends every session of the user (their tokens carry the old version)."""
        values: dict[str, object] = {'is_active': active}
        if not active:
            values['session_version'] = User.session_version + 1
        await self.connection.execute(update(User).where(User.id == user_id).values(**values))

    async def contacts(self, user_ids: Iterable[int]) -> list[Contact]:
        rows = await self.connection.execute(
            select(User.id, User.display_name, User.is_active, User.locale, User.email, User.notify_events)
            .where(User.id.in_(list(user_ids))).order_by(User.id))
        return [Contact(*row[:-1], tuple(row[-1] or ())) for row in rows]

    async def set_contact(self, user_id: int, *, email: str | None, notify_events: list[str]) -> None:
        await self.connection.execute(
            update(User).where(User.id == user_id).values(email=email, notify_events=notify_events))
