"""The staff inbox query: tickets of the desk's queues with filters, sort, pages and capped counts per status."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, any_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from .models import Message, Queue, Request, User, WorkflowStatus
from .requests import COUNT_CAP, escape_like
from .rows import TicketRow

Customer = aliased(User)
Assignee = aliased(User)
UNASSIGNED = -1  # assignee filter: tickets nobody has taken


@dataclass(frozen=True)
class InboxFilter:
    queue_ids: tuple[int, ...]
    status_id: int | None = None
    open_only: bool = False  # every status but the closed ones
    assignee_id: int | None = None  # a user's id, UNASSIGNED, or None for anyone
    channel: str | None = None
    search: str = ''
    sort: str = 'updated'
    descending: bool = True


_ROW = (Request.id, Request.title, Request.status_id, WorkflowStatus.name, WorkflowStatus.kind, Request.author_id,
        Customer.display_name, Request.assignee_id, Assignee.display_name, Queue.name, Request.channel,
        Request.staff_unread, Request.created_at, Request.updated_at)
PREVIEW_LENGTH = 140
# The start of the ticket's last message or note, per shown row only (the page joins names for its 25 rows): the
# request_id index finds a ticket's messages, and the newest is the highest id among them.
_PREVIEW = func.coalesce(select(func.substr(Message.body, 1, PREVIEW_LENGTH))
                         .where(Message.request_id == Request.id, Message.kind != 'system')
                         .order_by(Message.id.desc()).limit(1).correlate(Request).scalar_subquery(), '')


class InboxRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def page(self, where: InboxFilter, *, offset: int, limit: int) -> list[TicketRow]:
        column = Request.updated_at if where.sort == 'updated' else Request.created_at
        order = (column.desc(), Request.id.desc()) if where.descending else (column.asc(), Request.id.asc())
        # Skip rows on the filtered index alone, then join names for the rows shown only.
        ids = _filtered(select(Request.id), where, self._postgresql).order_by(*order).offset(offset).limit(limit) \
            .subquery()
        query = joined(select(*_ROW, _PREVIEW).join(ids, ids.c.id == Request.id)).order_by(*order)
        return [TicketRow(*row) for row in await self.connection.execute(query)]

    async def count(self, where: InboxFilter) -> int:
        capped = _filtered(select(Request.id), where, self._postgresql).limit(COUNT_CAP + 1).subquery()
        return await self.connection.scalar(select(func.count()).select_from(capped)) or 0

    @property
    def _postgresql(self) -> bool:
        return self.connection.dialect.name == 'postgresql'

    async def waiting(self, queue_ids: tuple[int, ...]) -> dict[int | None, int]:
        """Open tickets the customer wrote on since staff last read them, per assignee (None: nobody's yet).

        Read on the open tickets' partial index (closed_at IS NULL): a customer has at most one open ticket in a
        queue, so this stays about as many rows as customers waiting, whatever the history holds.
        """
        query = (select(Request.assignee_id, func.count()).where(Request.queue_id.in_(queue_ids),
                                                                 Request.closed_at.is_(None),
                                                                 Request.staff_unread.is_(True))
                 .group_by(Request.assignee_id))
        return {assignee: count for assignee, count in await self.connection.execute(query)}

    async def row(self, request_id: int) -> TicketRow | None:
        query = joined(select(*_ROW, _PREVIEW)).where(Request.id == request_id)
        found = (await self.connection.execute(query)).one_or_none()
        return TicketRow(*found) if found else None


def joined(query: Select) -> Select:
    """A ticket query with its status, customer, queue and assignee (the inbox's and the tickets API's rows)."""
    return (query.join(WorkflowStatus, WorkflowStatus.id == Request.status_id)
            .join(Customer, Customer.id == Request.author_id)
            .join(Queue, Queue.id == Request.queue_id)
            .outerjoin(Assignee, Assignee.id == Request.assignee_id))


def _filtered(query: Select, where: InboxFilter, postgresql: bool) -> Select:
    query = query.where(Request.queue_id.in_(where.queue_ids))
    if where.status_id is not None:
        query = query.where(Request.status_id == where.status_id)
    elif where.open_only:
        query = query.where(Request.closed_at.is_(None))
    if where.assignee_id == UNASSIGNED:
        query = query.where(Request.assignee_id.is_(None))
    elif where.assignee_id is not None:
        query = query.where(Request.assignee_id == where.assignee_id)
    if where.channel:
        query = query.where(Request.channel == where.channel)
    if where.search:
        pattern = f'%{escape_like(where.search.casefold())}%'
        customers = select(User.id).where(User.username_key.like(pattern, escape='\\'))
        # `= ANY (ARRAY(...))` lets PostgreSQL OR the trigram index with the author index; IN (subquery) scans.
        by_author = Request.author_id == any_(func.array(customers.scalar_subquery())) if postgresql \
            else Request.author_id.in_(customers)
        query = query.where(or_(Request.title_folded.like(pattern, escape='\\'), by_author))
    return query
