"""Tickets in every queue: one keyset-paged list with the inbox's filters, and capped counts per status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, Select, any_, func, literal, or_, select, tuple_, union_all
from sqlalchemy.ext.asyncio import AsyncConnection

from .inbox import UNASSIGNED, Assignee, Customer, joined
from .models import Queue, Request, User, WorkflowStatus
from .requests import COUNT_CAP, escape_like


@dataclass(frozen=True)
class TicketFilter:
    queue_ids: tuple[int, ...] | None = None  # None: every queue
    status_ids: tuple[int, ...] | None = None  # None: any status
    open_only: bool = False  # not closed: lets the partial open-ticket indexes serve the query
    assignee_id: int | None = None  # a user's id, UNASSIGNED, or None for anyone
    author_id: int | None = None
    channel: str | None = None
    search: str = ''  # in the title or the customer's username, any case
    created_from: datetime | None = None
    created_to: datetime | None = None  # exclusive, like updated_to
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    sort: str = 'updated'  # created | updated
    descending: bool = True


@dataclass(frozen=True)
class TicketListRow:
    """One line of the ticket list, whatever its queue."""

    id: int
    title: str
    queue_id: int
    queue: str
    status_id: int
    status: str
    status_kind: str
    customer_id: int
    customer: str
    assignee_id: int | None
    assignee: str | None
    channel: str
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None


_ROW = (Request.id, Request.title, Request.queue_id, Queue.name, Request.status_id, WorkflowStatus.name,
        WorkflowStatus.kind, Request.author_id, Customer.display_name, Request.assignee_id, Assignee.display_name,
        Request.channel, Request.created_at, Request.updated_at, Request.closed_at)


class TicketRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def page(self, where: TicketFilter, *, limit: int, after: tuple[datetime, int] | None = None
                   ) -> list[TicketListRow]:
        """The rows that follow the one with this (sort time, id): served by a (…, time DESC, id DESC) index."""
        column = Request.updated_at if where.sort == 'updated' else Request.created_at
        order = (column.desc(), Request.id.desc()) if where.descending else (column.asc(), Request.id.asc())
        ids = _filtered(select(Request.id), where, self._postgresql)
        if after is not None:  # a row comparison, which both databases serve from the index
            key, last = tuple_(column, Request.id), tuple_(literal(after[0], column.type), literal(after[1], Integer))
            ids = ids.where(key < last if where.descending else key > last)
        # Find the page on the index alone, then join the names for its rows only.
        chosen = ids.order_by(*order).limit(limit).subquery()
        query = joined(select(*_ROW).join(chosen, chosen.c.id == Request.id)).order_by(*order)
        return [TicketListRow(*row) for row in await self.connection.execute(query)]

    async def count(self, where: TicketFilter) -> int:
        """How many match, counting no further than COUNT_CAP + 1."""
        return (await self.counts([where]))[0]

    async def counts(self, wheres: Sequence[TicketFilter]) -> list[int]:
        """How many match each filter, counting no further than COUNT_CAP + 1, in one statement: the list's counts
        per status were one statement each, and each cost the server more than its (capped) scan cost PostgreSQL."""
        if not wheres:
            return []
        branches = [select(literal(number, Integer), func.count()).select_from(
            _filtered(select(Request.id), where, self._postgresql).limit(COUNT_CAP + 1).subquery())
            for number, where in enumerate(wheres)]
        found = dict((await self.connection.execute(union_all(*branches))).all())
        return [found.get(number, 0) for number in range(len(wheres))]

    async def one(self, request_id: int) -> TicketListRow | None:
        found = (await self.connection.execute(joined(select(*_ROW)).where(Request.id == request_id))).one_or_none()
        return TicketListRow(*found) if found else None

    @property
    def _postgresql(self) -> bool:
        return self.connection.dialect.name == 'postgresql'


def _filtered(query: Select, where: TicketFilter, postgresql: bool) -> Select:
    if where.queue_ids is not None:
        query = query.where(Request.queue_id.in_(where.queue_ids))
    if where.status_ids is not None:
        query = query.where(Request.status_id.in_(where.status_ids))
    if where.open_only:
        query = query.where(Request.closed_at.is_(None))
    if where.assignee_id == UNASSIGNED:
        query = query.where(Request.assignee_id.is_(None))
    elif where.assignee_id is not None:
        query = query.where(Request.assignee_id == where.assignee_id)
    if where.author_id is not None:
        query = query.where(Request.author_id == where.author_id)
    if where.channel:
        query = query.where(Request.channel == where.channel)
    for column, low, high in ((Request.created_at, where.created_from, where.created_to),
                              (Request.updated_at, where.updated_from, where.updated_to)):
        if low is not None:
            query = query.where(column >= low)
        if high is not None:
            query = query.where(column < high)
    if where.search:
        pattern = f'%{escape_like(where.search.casefold())}%'
        customers = select(User.id).where(User.username_key.like(pattern, escape='\\'))
        # As in the inbox: `= ANY (ARRAY(...))` lets PostgreSQL OR the trigram index with the author index.
        by_author = Request.author_id == any_(func.array(customers.scalar_subquery())) if postgresql \
            else Request.author_id.in_(customers)
        query = query.where(or_(Request.title_folded.like(pattern, escape='\\'), by_author))
    return query
