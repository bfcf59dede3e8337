"""The audit log: event rows filtered and read newest first by id, with the actor's and the request's names.

Every filter has an index on events that ends in id ((actor_id, id), (kind, id), (request_id, id), (created_at, id)),
so a page walks one index backwards from `before_id` and stops after `limit` rows. Names are joined for the rows
of the page only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from .models import Event, Queue, Request, User

MAX_KINDS = 200  # event kinds come from the code; a bound all the same for the walk below


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    kind: str | None = None
    request_id: int | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive


@dataclass(frozen=True)
class AuditRow:
    id: int
    kind: str
    actor_id: int | None
    actor: str  # display name; '' for actions nobody signed in did
    actor_username: str
    request_id: int | None
    request_title: str | None
    request_private: bool  # a support ticket (its page is the desk's), not a board request
    channel: str
    data: dict[str, Any]
    created_at: datetime


class AuditRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def page(self, where: AuditFilter, *, before_id: int | None = None, limit: int = 50) -> list[AuditRow]:
        """Newest first; `before_id` continues after the last row of the previous page (or export batch)."""
        ids = _filtered(select(Event.id), where, before_id).order_by(Event.id.desc()).limit(limit).subquery()
        query = (select(Event.id, Event.kind, Event.actor_id, User.display_name, User.username, Event.request_id,
                        Request.title, Queue.visibility, Event.channel, Event.data, Event.created_at)
                 .join(ids, ids.c.id == Event.id)
                 .outerjoin(User, User.id == Event.actor_id)
                 .outerjoin(Request, Request.id == Event.request_id)
                 .outerjoin(Queue, Queue.id == Request.queue_id)
                 .order_by(Event.id.desc()))
        return [AuditRow(id, kind, actor_id, actor or '', username or '', request_id, title, visibility == 'private',
                         channel, data or {}, created_at)
                for id, kind, actor_id, actor, username, request_id, title, visibility, channel, data, created_at
                in await self.connection.execute(query)]

    async def usernames(self, user_ids: Iterable[int]) -> dict[int, str]:
        """Names of the users actions were done to (a role changed, an account created), by id."""
        ids = sorted(set(user_ids))
        if not ids:
            return {}
        return dict((await self.connection.execute(select(User.id, User.username).where(User.id.in_(ids)))).all())

    async def kinds(self) -> list[str]:
        """Every kind in the log, for the filter: one index step per kind, not a scan of the whole log."""
        walk = select(func.min(Event.kind).label('kind')).cte('kinds', recursive=True)
        following = select(func.min(Event.kind)).where(Event.kind > walk.c.kind).scalar_subquery()
        walk = walk.union_all(select(following.label('kind')).where(walk.c.kind.is_not(None)))
        rows = await self.connection.scalars(select(walk.c.kind).where(walk.c.kind.is_not(None)).limit(MAX_KINDS))
        return list(rows)


def _filtered(query: Select[Any], where: AuditFilter, before_id: int | None) -> Select[Any]:
    if where.actor_id is not None:
        query = query.where(Event.actor_id == where.actor_id)
    if where.kind is not None:
        query = query.where(Event.kind == where.kind)
    if where.request_id is not None:
        query = query.where(Event.request_id == where.request_id)
    if where.since is not None:
        query = query.where(Event.created_at >= where.since)
    if where.until is not None:
        query = query.where(Event.created_at < where.until)
    if before_id is not None:
        query = query.where(Event.id < before_id)
    return query
