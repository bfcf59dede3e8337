"""Chat widgets and their anonymous visitors: rows in, rows out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from . import execution
from .column_types import utcnow
from .constraints import refused_as_conflict
from .execution import hot
from .model_widgets import Widget, WidgetVisitor
from .models import User
from .rows import UserRow
from .users import user_columns
from .visitor_history import Moved, move_history


@dataclass(frozen=True)
class WidgetRow:
    id: int
    public_key: str
    name: str
    greeting: str
    accent: str
    queue_id: int
    origins: tuple[str, ...]
    name_field: str
    email_field: str
    offline_message: str
    created_at: datetime


@dataclass(frozen=True)
class VisitorRow:
    """Where a visitor was when they last wrote: what the agent sees beside the conversation."""

    user_id: int
    widget_id: int
    email: str | None
    page_url: str
    referrer: str
    language: str
    account_id: int | None = None  # signed in inside the widget: the token acts as this account
    external_id: str | None = None  # the host site's user id, verified by the widget's secret


@dataclass(frozen=True)
class VisitorSession:
    """What a visitor's message needs to know of them, in one read: the visitor, their user, the account they signed
    in to inside the widget (if any), and the address they last wrote from."""

    visitor: VisitorRow
    user: UserRow
    account: UserRow | None
    address: str


_WIDGET = (Widget.id, Widget.public_key, Widget.name, Widget.greeting, Widget.accent, Widget.queue_id, Widget.origins,
           Widget.name_field, Widget.email_field, Widget.offline_message, Widget.created_at)
_VISITOR = (WidgetVisitor.user_id, WidgetVisitor.widget_id, WidgetVisitor.email, WidgetVisitor.page_url,
            WidgetVisitor.referrer, WidgetVisitor.language, WidgetVisitor.account_id, WidgetVisitor.external_id)


_ACCOUNT = aliased(User, name='account')
_USER_WIDTH = len(user_columns(User))
# Built once, straight on asyncpg: read in the transaction of every message a visitor writes.
_SESSION = hot(select(*_VISITOR, *user_columns(User), *user_columns(_ACCOUNT), WidgetVisitor.address)
               .join(User, User.id == WidgetVisitor.user_id)
               .outerjoin(_ACCOUNT, _ACCOUNT.id == WidgetVisitor.account_id)
               .where(WidgetVisitor.user_id == bindparam('user_id')))
_VISITORS = WidgetVisitor.__table__
_VISITED = hot(update(_VISITORS).where(_VISITORS.c.user_id == bindparam('visitor_id')).values(
    page_url=bindparam('new_page_url'), referrer=bindparam('new_referrer'), language=bindparam('new_language'),
    address=bindparam('new_address'), updated_at=bindparam('now')))


def _widget(row: Any) -> WidgetRow:
    values = list(row)
    values[6] = tuple(values[6] or ())
    return WidgetRow(*values)


class WidgetRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def all(self, *, limit: int = 500) -> list[WidgetRow]:
        rows = await self.connection.execute(select(*_WIDGET).order_by(Widget.id).limit(limit))
        return [_widget(row) for row in rows]

    async def get(self, widget_id: int) -> WidgetRow | None:
        row = (await self.connection.execute(select(*_WIDGET).where(Widget.id == widget_id))).one_or_none()
        return _widget(row) if row else None

    async def by_key(self, public_key: str) -> WidgetRow | None:
        row = (await self.connection.execute(select(*_WIDGET).where(Widget.public_key == public_key))).one_or_none()
        return _widget(row) if row else None

    async def add(self, *, public_key: str, secret: str, **values: Any) -> int:
        now = utcnow()
        return (await self.connection.execute(insert(Widget.__table__).values(
            public_key=public_key, secret=secret, created_at=now, updated_at=now, **values)
            .returning(Widget.__table__.c.id))).scalar_one()

    async def change(self, widget_id: int, **values: Any) -> None:
        await self.connection.execute(update(Widget).where(Widget.id == widget_id).values(updated_at=utcnow(),
                                                                                         **values))

    async def secret(self, widget_id: int) -> str | None:
        return await self.connection.scalar(select(Widget.secret).where(Widget.id == widget_id))

    async def secrets(self, widget_ids: list[int]) -> dict[int, str]:
        rows = await self.connection.execute(select(Widget.id, Widget.secret).where(Widget.id.in_(widget_ids)))
        return {widget_id: secret for widget_id, secret in rows}

    async def remove(self, widget_id: int) -> None:
        await self.connection.execute(delete(Widget).where(Widget.id == widget_id))

    @refused_as_conflict
    async def add_visitor(self, *, user_id: int, widget_id: int, email: str | None, address: str,
                          external_id: str | None = None, page_url: str = '', referrer: str = '',
                          language: str = '') -> None:
        now = utcnow()
        await self.connection.execute(insert(WidgetVisitor.__table__).values(
            user_id=user_id, widget_id=widget_id, email=email, page_url=page_url, referrer=referrer,
            language=language, address=address, external_id=external_id, created_at=now, updated_at=now))

    async def visitor(self, user_id: int) -> VisitorRow | None:
        row = (await self.connection.execute(select(*_VISITOR).where(WidgetVisitor.user_id == user_id))).one_or_none()
        return VisitorRow(*row) if row else None

    async def session(self, user_id: int) -> VisitorSession | None:
        """The visitor with their user and account rows; None when there is no such visitor."""
        rows = await execution.fetch(self.connection, _SESSION, {'user_id': user_id})
        if not rows:
            return None
        row, width = tuple(rows[0]), len(_VISITOR)
        user, account = row[width:width + _USER_WIDTH], row[width + _USER_WIDTH:width + 2 * _USER_WIDTH]
        return VisitorSession(VisitorRow(*row[:width]), UserRow(*user),
                              UserRow(*account) if account[0] is not None else None, row[-1])

    async def visited(self, user_id: int, *, page_url: str, referrer: str, language: str, address: str) -> None:
        await execution.fetch(self.connection, _VISITED, {
            'visitor_id': user_id, 'new_page_url': page_url, 'new_referrer': referrer, 'new_language': language,
            'new_address': address, 'now': utcnow()})

    async def by_external(self, widget_id: int, external_id: str) -> VisitorRow | None:
        row = (await self.connection.execute(select(*_VISITOR).where(
            WidgetVisitor.widget_id == widget_id, WidgetVisitor.external_id == external_id))).one_or_none()
        return VisitorRow(*row) if row else None

    async def of_author(self, author_id: int) -> VisitorRow | None:
        """The visitor a ticket's author is, or (signed in inside a widget) was last: whom a reply may be emailed."""
        row = (await self.connection.execute(
            select(*_VISITOR).where(or_(WidgetVisitor.user_id == author_id, WidgetVisitor.account_id == author_id))
            .order_by(WidgetVisitor.updated_at.desc()).limit(1))).one_or_none()
        return VisitorRow(*row) if row else None

    @refused_as_conflict
    async def identify(self, user_id: int, *, external_id: str) -> None:
        """The visitor is this user of the host site; a second visitor for the same one is refused (unique)."""
        await self.connection.execute(update(WidgetVisitor).where(WidgetVisitor.user_id == user_id)
                                      .values(external_id=external_id, updated_at=utcnow()))

    async def link(self, user_id: int, account_id: int | None) -> None:
        await self.connection.execute(update(WidgetVisitor).where(WidgetVisitor.user_id == user_id)
                                      .values(account_id=account_id, updated_at=utcnow()))

    async def set_email(self, user_id: int, email: str) -> None:
        await self.connection.execute(update(WidgetVisitor).where(WidgetVisitor.user_id == user_id)
                                      .values(email=email, updated_at=utcnow()))

    async def move_history(self, *, from_id: int, to_id: int, queue_id: int, closed_status_id: int) -> Moved:
        return await move_history(self.connection, from_id=from_id, to_id=to_id, queue_id=queue_id,
                                  closed_status_id=closed_status_id)
