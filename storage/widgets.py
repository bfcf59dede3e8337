"""Chat widgets and their anonymous visitors: rows in, rows out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .column_types import utcnow
from .models import Widget, WidgetVisitor


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


_WIDGET = (Widget.id, Widget.public_key, Widget.name, Widget.greeting, Widget.accent, Widget.queue_id, Widget.origins,
           Widget.name_field, Widget.email_field, Widget.offline_message, Widget.created_at)
_VISITOR = (WidgetVisitor.user_id, WidgetVisitor.widget_id, WidgetVisitor.email, WidgetVisitor.page_url,
            WidgetVisitor.referrer, WidgetVisitor.language)


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

    async def remove(self, widget_id: int) -> None:
        await self.connection.execute(delete(Widget).where(Widget.id == widget_id))

    async def add_visitor(self, *, user_id: int, widget_id: int, email: str | None, address: str) -> None:
        now = utcnow()
        await self.connection.execute(insert(WidgetVisitor.__table__).values(
            user_id=user_id, widget_id=widget_id, email=email, page_url='', referrer='', language='', address=address,
            created_at=now, updated_at=now))

    async def visitor(self, user_id: int) -> VisitorRow | None:
        row = (await self.connection.execute(select(*_VISITOR).where(WidgetVisitor.user_id == user_id))).one_or_none()
        return VisitorRow(*row) if row else None

    async def visited(self, user_id: int, *, page_url: str, referrer: str, language: str, address: str) -> None:
        await self.connection.execute(update(WidgetVisitor).where(WidgetVisitor.user_id == user_id).values(
            page_url=page_url, referrer=referrer, language=language, address=address, updated_at=utcnow()))
