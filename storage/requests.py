"""Requests: the record, its changes, and the list page's query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, String, bindparam, func, insert, select, true, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from . import execution
from .constraints import refused_as_conflict
from .conversations import ConversationRepository, read_thread, thread
from .execution import hot
from .models import Conversation, Queue, Request, User, WorkflowStatus, utcnow
from .rows import MessageRow, QueueRow, RequestRecord, RequestRow

Assignee = aliased(User)
COUNT_CAP = 10_000  # lists count at most this many rows; pages past it ask for a narrower filter


@dataclass(frozen=True)
class RequestFilter:
    queue_id: int
    status_id: int | None = None
    author_id: int | None = None
    title_contains: str = ''
    sort: str = 'created'  # created | updated
    descending: bool = True


_ROW = (Request.id, Request.title, Request.status_id, WorkflowStatus.name, WorkflowStatus.kind, Request.author_id,
        User.display_name, Request.created_at, Request.updated_at, Request.response_count)

# The hot statements are built once, with bound parameters: building one and computing its cache key took about a
# quarter of a call's CPU, and the compiled form is looked up by that key anyway.
_TABLE = Request.__table__
_INSERT = hot(insert(_TABLE).returning(_TABLE.c.id))
_RECORD = hot(select(Request.id, Request.queue_id, Queue.visibility, Queue.workflow_id, Request.title,
                  Request.description, Request.status_id, Request.author_id, User.display_name, Request.assignee_id,
                  Request.channel, Request.response_count, Request.created_at, Request.updated_at, Request.closed_at,
                  Queue.name, Queue.one_open_per_author, Assignee.display_name, Request.staff_unread)
           .join(Queue, Queue.id == Request.queue_id).join(User, User.id == Request.author_id)
           .outerjoin(Assignee, Assignee.id == Request.assignee_id)
           .where(Request.id == bindparam('request_id')))
# With the request's thread with staff (none yet: NULL), for those who write in it: one round trip less.
_RECORD_WITH_THREAD = hot(_RECORD.add_columns(
    select(Conversation.id).where(Conversation.request_id == Request.id, Conversation.counterpart_id.is_(None))
    .scalar_subquery()))

_RECORDED = len(_RECORD.selected_columns)


@cache
def _record_and_thread(include_notes: bool) -> Select:
    """The request's record on every row, with one of its thread's messages (and files, see thread) each; one
    row with no message when it has none."""
    # Its own FROMs only: SQLAlchemy would otherwise take its users (the messages' authors) for the record's.
    messages = thread(include_notes, True, True).correlate(None).lateral('thread')
    columns = list(messages.c)
    return hot(_RECORD.add_columns(*columns).outerjoin(messages, true()).order_by(columns[0], columns[7]))


class RequestRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self._queues: dict[int, int] = {}  # request id -> queue, for requests this unit of work added or read
        self._added: dict[int, RequestRecord] = {}  # as inserted, but for the queue's and the author's names

    @refused_as_conflict
    async def add(self, *, queue_id: int, title: str, description: str, status_id: int, author_id: int,
                  channel: str, closed: bool, one_open_per_author: bool = False, staff_unread: bool = False,
                  fields: dict[str, Any] | None = None) -> int:
        """Insert a request; with `one_open_per_author` a second open one of the author raises ConstraintConflict."""
        now = utcnow()
        request_id: int = await execution.scalar(self.connection, _INSERT, {
            'queue_id': queue_id, 'title': title, 'title_folded': title.casefold(), 'description': description,
            'status_id': status_id, 'author_id': author_id, 'channel': channel, 'created_at': now, 'updated_at': now,
            'status_since': now, 'fields': fields or {}, 'closed_at': now if closed else None,
            'staff_unread': staff_unread, 'open_key': author_id if one_open_per_author and not closed else None,
            'response_count': 0, 'assignee_id': None})
        self._queues[request_id] = queue_id
        self._added[request_id] = RequestRecord(
            request_id, queue_id, '', 0, title, description, status_id, author_id, '', None, channel, 0, now, now,
            now if closed else None, one_open_per_author=one_open_per_author, staff_unread=staff_unread)
        return request_id

    def added(self, request_id: int, *, queue: QueueRow, author: str) -> RequestRecord:
        """A request this unit of work added, as `record` reads it back while nothing else has changed it."""
        return replace(self._added[request_id], visibility=queue.visibility, workflow_id=queue.workflow_id,
                       queue=queue.name, author=author)

    async def record(self, request_id: int, *, with_thread: bool = False) -> RequestRecord | None:
        """The request; `with_thread`: with the id of its thread with staff (thread_id)."""
        rows = await execution.fetch(self.connection, _RECORD_WITH_THREAD if with_thread else _RECORD,
                                     {'request_id': request_id})
        if not rows:
            return None
        record = RequestRecord(*rows[0])
        self._queues[record.id] = record.queue_id
        return record

    async def record_and_thread(self, request_id: int, *, after_id: int = 0, limit: int = 200,
                                include_notes: bool = False) -> tuple[RequestRecord | None, list[MessageRow]]:
        """`record`, and the messages of its thread with staff after `after_id`, oldest first (as
        ConversationRepository.staff_thread reads them); on PostgreSQL in one statement: a ticket's messages are
        read on every open, and the request's own read was a round trip of its own."""
        if self.connection.dialect.name != 'postgresql':  # no LATERAL there, and no round trip either
            record = await self.record(request_id)
            return record, await ConversationRepository(self.connection).staff_thread(
                request_id, after_id=after_id, limit=limit, include_notes=include_notes, from_start=True) \
                if record is not None else []
        rows = await execution.fetch(self.connection, _record_and_thread(include_notes),
                                     {'request_id': request_id, 'after_id': after_id, 'limit': limit})
        if not rows:
            return None, []
        record = RequestRecord(*rows[0][:_RECORDED])
        self._queues[record.id] = record.queue_id
        return record, read_thread([row[_RECORDED:] for row in rows], oldest_first=True)

    async def queue_of(self, request_id: int) -> int | None:
        """A request's queue, which never changes: no read when this unit of work added or read the request (the
        rule engine asks after every event it might follow, in the committing transaction)."""
        queue_id = self._queues.get(request_id)
        if queue_id is None:
            queue_id = await self.connection.scalar(select(Request.queue_id).where(Request.id == request_id))
        return queue_id

    async def fields_of(self, request_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The queue-defined field values of these requests (a page's worth), by id."""
        if not request_ids:
            return {}
        rows = await self.connection.execute(select(Request.id, Request.fields).where(Request.id.in_(request_ids)))
        return {request_id: values or {} for request_id, values in rows}

    async def row(self, request_id: int) -> RequestRow | None:
        found = (await self.connection.execute(_joined(select(*_ROW)).where(Request.id == request_id))).one_or_none()
        return RequestRow(*found) if found else None

    async def page(self, where: RequestFilter, *, offset: int, limit: int,
                   after: tuple[datetime, int] | None = None) -> list[RequestRow]:
        """A page by offset, or by key: the rows that follow the one with this (sort time, id)."""
        statement = _page(_Shape.of(where), by_offset=offset > 0, by_key=after is not None)
        params = _params(where) | {'offset': offset, 'limit': limit}
        if after is not None:
            params |= {'after_time': after[0], 'after_id': after[1]}
        return [RequestRow(*row) for row in await execution.fetch(self.connection, statement, params)]

    async def count(self, where: RequestFilter) -> int:
        """How many match, counting no further than COUNT_CAP + 1."""
        return await execution.scalar(self.connection, _count(_Shape.of(where)), _params(where)) or 0

    @refused_as_conflict
    async def set_status(self, request_id: int, status_id: int, *, closed: bool,
                         open_key: int | None = None) -> datetime:
        """Move to a status; `open_key` is the author's id when a reopened request must be their only open one.
        Returns the moment written as its updated_at (and closed_at when closed)."""
        now = utcnow()
        await self.connection.execute(update(Request).where(Request.id == request_id).values(
            status_id=status_id, updated_at=now, status_since=now, closed_at=now if closed else None,
            open_key=open_key))
        return now

    async def assign(self, request_id: int, assignee_id: int | None) -> None:
        await self.connection.execute(update(Request).where(Request.id == request_id)
                                   .values(assignee_id=assignee_id, updated_at=utcnow()))

    async def set_staff_unread(self, request_id: int, unread: bool) -> None:
        await self.connection.execute(update(Request).where(Request.id == request_id).values(staff_unread=unread))

    async def open_of_author(self, queue_id: int, author_id: int) -> int | None:
        """The author's open request in a one-open-per-author queue."""
        return await self.connection.scalar(select(Request.id).where(Request.queue_id == queue_id,
                                                                  Request.open_key == author_id))

    async def of_author(self, queue_id: int, author_id: int, *, limit: int = 50) -> list[RequestRow]:
        """The author's requests in a queue, newest first."""
        where = RequestFilter(queue_id=queue_id, author_id=author_id)
        return await self.page(where, offset=0, limit=limit)

    async def touch(self, request_id: int, *, new_response: bool = False, staff_unread: bool | None = None) -> None:
        """Updated now; with `staff_unread` also flagged for (or cleared from) the desk, in the same statement."""
        await execution.fetch(self.connection, _touch(new_response, staff_unread is not None),
                           {'request_id': request_id, 'now': utcnow(), 'unread': staff_unread})


@cache
def _touch(new_response: bool, flag: bool) -> Any:
    values: dict[str, Any] = {'updated_at': bindparam('now')}
    if new_response:
        values['response_count'] = Request.response_count + 1
    if flag:
        values['staff_unread'] = bindparam('unread')
    return hot(update(_TABLE).where(_TABLE.c.id == bindparam('request_id')).values(**values))


@dataclass(frozen=True)
class _Shape:
    """What a list statement looks like, whatever the values: the key its built statement is kept under."""

    sort: str
    descending: bool
    by_status: bool
    by_author: bool
    by_title: bool

    @classmethod
    def of(cls, where: RequestFilter) -> _Shape:
        return cls(where.sort, where.descending, where.status_id is not None, where.author_id is not None,
                   bool(where.title_contains))


def _params(where: RequestFilter) -> dict[str, Any]:
    return {'queue_id': where.queue_id, 'status_id': where.status_id, 'author_id': where.author_id,
            'title': f'%{escape_like(where.title_contains.casefold())}%'}


@cache
def _page(shape: _Shape, *, by_offset: bool, by_key: bool) -> Select:
    column = Request.updated_at if shape.sort == 'updated' else Request.created_at
    order = (column.desc(), Request.id.desc()) if shape.descending else (column.asc(), Request.id.asc())
    limit = bindparam('limit', type_=Integer)
    if not by_offset:
        query = _filtered(_joined(select(*_ROW)), shape).order_by(*order).limit(limit)
        if by_key:  # a row comparison, which the (queue, time, id) indexes serve on both databases
            key, after = tuple_(column, Request.id), tuple_(bindparam('after_time', type_=column.type),
                                                            bindparam('after_id', type_=Integer))
            query = query.where(key < after if shape.descending else key > after)
        return hot(query)
    # Skip rows on the index alone, then join only the rows shown: joining first costs two
    # lookups per skipped row (page 200 on PostgreSQL: 3.2 ms -> 1.2 ms for the statement).
    ids = _filtered(select(Request.id), shape).order_by(*order).offset(bindparam('offset', type_=Integer)) \
        .limit(limit).subquery()
    return hot(_joined(select(*_ROW).join(ids, ids.c.id == Request.id)).order_by(*order))


@cache
def _count(shape: _Shape) -> Select:
    capped = _filtered(select(Request.id), shape).limit(COUNT_CAP + 1).subquery()
    return hot(select(func.count()).select_from(capped))


def _joined(query: Select) -> Select:
    return (query.join(WorkflowStatus, WorkflowStatus.id == Request.status_id)
            .join(User, User.id == Request.author_id))


def _filtered(query: Select, shape: _Shape) -> Select:
    query = query.where(Request.queue_id == bindparam('queue_id'))
    if shape.by_status:
        query = query.where(Request.status_id == bindparam('status_id'))
    if shape.by_author:
        query = query.where(Request.author_id == bindparam('author_id'))
    if shape.by_title:
        query = query.where(Request.title_folded.like(bindparam('title', type_=String), escape='\\'))
    return query


def escape_like(text: str) -> str:
    return text.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')
