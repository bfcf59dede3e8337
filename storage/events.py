"""The append-only event log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from . import execution
from .execution import hot
from .models import Event, User, utcnow
from .rows import EventRow

_INSERT = hot(insert(Event.__table__).returning(Event.__table__.c.id))  # built once: its cache key is computed once
# The live stream reads the log by `position`, not by id. Ids come from a sequence as a row is inserted, so a
# transaction holding id 10 could commit after one holding id 11, and a stream that had delivered 11 would skip 10
# for ever. A position is taken as the event's transaction commits, by a deferred trigger that first takes one
# advisory lock (migration 0018); PostgreSQL makes a commit visible before it releases its locks, so positions are
# taken and become visible in one order, and no round trip of ours waits inside the lock. SQLite, one writer at a
# time, sets the position to the id.


@dataclass
class NewEvent:
    """An event of this unit of work; its id once saved."""

    kind: str
    actor_id: int | None
    request_id: int | None
    channel: str
    data: dict[str, Any]
    created_at: datetime = field(default_factory=utcnow)
    id: int = 0


class EventRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self.added: list[NewEvent] = []  # not saved yet; the unit of work saves them as it commits

    def add(self, kind: str, *, actor_id: int | None, request_id: int | None = None, channel: str = 'web',
            **data: Any) -> None:
        self.added.append(NewEvent(kind, actor_id, request_id, channel, data))

    async def save(self) -> list[NewEvent]:
        """Insert the events added since the last save; they are returned with their ids."""
        saved, self.added = self.added, []
        for event in saved:
            event.id = await execution.scalar(self.connection, _INSERT, {
                'kind': event.kind, 'actor_id': event.actor_id, 'request_id': event.request_id,
                'channel': event.channel, 'data': event.data, 'created_at': event.created_at})
        return saved

    async def for_request(self, request_id: int, *, after_id: int = 0, limit: int = 500) -> list[EventRow]:
        """The request's events in order, those after `after_id` (what a timeline already shows) only."""
        rows = await self.connection.execute(
            select(Event.id, Event.kind, Event.actor_id, User.display_name, Event.request_id, Event.data,
                   Event.created_at)
            .outerjoin(User, User.id == Event.actor_id)
            .where(Event.request_id == request_id, Event.id > after_id).order_by(Event.id).limit(limit))
        return [EventRow(id, kind, actor_id, actor or '', request_id, data, created_at)
                for id, kind, actor_id, actor, request_id, data, created_at in rows]
