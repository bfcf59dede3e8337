"""The append-only event log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from . import execution
from .execution import hot
from .models import Event, User, utcnow
from .rows import EventRow

_INSERT = hot(insert(Event.__table__).returning(Event.__table__.c.id))  # built once: its cache key is computed once
# The log's ids in commit order on PostgreSQL (domain/stream reads the log after a client's last id). Ids come from a
# sequence as a row is inserted, so a transaction holding id 11 could commit before one holding id 10, and a stream
# that had delivered 11 would skip 10 for ever. So every insert first takes one transaction-scoped advisory lock, in
# the same statement (a FROM subquery with a volatile function is evaluated before the row and its id are made), and
# the unit of work commits right after saving its events; PostgreSQL makes a commit visible before it releases its
# locks, so ids are taken and become visible in one order. SQLite needs none: one writer at a time.
EVENT_LOG_KEY = 0x53424556  # 'SBEV': a constant no other advisory lock of this database uses
_COLUMNS = ('kind', 'actor_id', 'request_id', 'channel', 'data', 'created_at')
_LOCKED = select(func.pg_advisory_xact_lock(EVENT_LOG_KEY).label('locked')).subquery('event_log_lock')
_LOCKED_INSERT = hot(insert(Event.__table__).from_select(
    _COLUMNS, select(*(bindparam(name, type_=Event.__table__.c[name].type) for name in _COLUMNS)).select_from(_LOCKED)
).returning(Event.__table__.c.id))


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
        statement = _INSERT if self.connection.dialect.name == 'sqlite' else _LOCKED_INSERT
        for event in saved:
            event.id = await execution.scalar(self.connection, statement, {
                'kind': event.kind, 'actor_id': event.actor_id, 'request_id': event.request_id,
                'channel': event.channel, 'data': event.data, 'created_at': event.created_at})
        return saved

    async def for_request(self, request_id: int, *, limit: int = 500) -> list[EventRow]:
        rows = await self.connection.execute(
            select(Event.id, Event.kind, Event.actor_id, User.display_name, Event.request_id, Event.data,
                   Event.created_at)
            .outerjoin(User, User.id == Event.actor_id)
            .where(Event.request_id == request_id).order_by(Event.id).limit(limit))
        return [EventRow(id, kind, actor_id, actor or '', request_id, data, created_at)
                for id, kind, actor_id, actor, request_id, data, created_at in rows]
