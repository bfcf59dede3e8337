"""The append-only event log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Event, User
from .rows import EventRow


class EventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.added: list[Event] = []  # this unit of work's, for the consumers that follow events (rules, notices)

    def add(self, kind: str, *, actor_id: int | None, request_id: int | None = None, channel: str = 'web',
            **data: Any) -> None:
        event = Event(kind=kind, actor_id=actor_id, request_id=request_id, channel=channel, data=data)
        self.session.add(event)
        self.added.append(event)

    async def for_request(self, request_id: int, *, limit: int = 500) -> list[EventRow]:
        rows = await self.session.execute(
            select(Event.id, Event.kind, Event.actor_id, User.display_name, Event.request_id, Event.data,
                   Event.created_at)
            .outerjoin(User, User.id == Event.actor_id)
            .where(Event.request_id == request_id).order_by(Event.id).limit(limit))
        return [EventRow(id, kind, actor_id, actor or '', request_id, data, created_at)
                for id, kind, actor_id, actor, request_id, data, created_at in rows]
