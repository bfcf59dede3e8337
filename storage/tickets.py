"""Tickets in every queue: one keyset-paged list with the inbox's filters, and capped counts per status."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import Integer, Select, String, any_, bindparam, func, literal, or_, select, tuple_, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import ColumnElement, Executable

from . import execution
from .column_types import Id
from .execution import hot
from .inbox import UNASSIGNED, Assignee, Customer, joined
from .models import Queue, Request, TicketCount, User, WorkflowStatus
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


def _named(column: Any, key: Any, value: Any) -> Any:
    return select(column).where(key == value).scalar_subquery()


# The page's names as one-row subqueries rather than joins: PostgreSQL plans a list statement on every call (its
# parameters decide the index), and searching the join order of five tables took ~1 ms of the ~1.4 ms it spent
# on a page; looking the names up per row plans in ~0.25 ms and runs as fast.
_PAGE_ROW = (Request.id, Request.title, Request.queue_id, _named(Queue.name, Queue.id, Request.queue_id),
             Request.status_id, _named(WorkflowStatus.name, WorkflowStatus.id, Request.status_id),
             _named(WorkflowStatus.kind, WorkflowStatus.id, Request.status_id), Request.author_id,
             _named(Customer.display_name, Customer.id, Request.author_id), Request.assignee_id,
             _named(Assignee.display_name, Assignee.id, Request.assignee_id), Request.channel, Request.created_at,
             Request.updated_at, Request.closed_at)


class TicketRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def page(self, where: TicketFilter, *, limit: int, after: tuple[datetime, int] | None = None
                   ) -> list[TicketListRow]:
        """The rows that follow the one with this (sort time, id): served by a (…, time DESC, id DESC) index."""
        shape, by_key = _Shape.of(where, self._postgresql), after is not None
        params = _params(where) | {'limit': limit}
        if after is not None:
            params |= {'after_time': after[0], 'after_id': after[1]}
        few = False
        if shape.by_search and shape.postgresql:
            # PostgreSQL guesses how many titles a pattern matches from trigram statistics, often far off: for a
            # few hundred matches it walked the whole time index for 26 of them (35 ms) instead of sorting them
            # (2 ms). So count first, no further than FEW: when that is all, the page sorts just those.
            probe = _built(('few', shape, by_key), lambda: _few(shape, by_key=by_key))
            few = await execution.scalar(self.connection, probe, params) <= FEW
        statement = _built(('page', shape, by_key, few), lambda: _page(shape, by_key=by_key, few=few))
        return [TicketListRow(*row) for row in await execution.fetch(self.connection, statement, params)]

    async def count(self, where: TicketFilter) -> int:
        """How many match, counting no further than COUNT_CAP + 1."""
        return (await self.counts([where]))[0]

    async def counts(self, wheres: Sequence[TicketFilter]) -> list[int]:
        """How many match each filter, counting no further than COUNT_CAP + 1: from ticket_counts for the filters it
        answers, the others counted in one statement (the list's counts per status were one statement each, and
        each cost the server more than its capped scan cost PostgreSQL)."""
        found: dict[int, int] = {}
        tallied = [number for number, where in enumerate(wheres) if _tallied(where)]
        for number, count in zip(tallied, await self._tallied_counts([wheres[n] for n in tallied]), strict=True):
            found[number] = count
        rest = [number for number in range(len(wheres)) if number not in found]
        for number, count in zip(rest, await self._counted([wheres[n] for n in rest]), strict=True):
            found[number] = count
        return [found[number] for number in range(len(wheres))]

    async def _tallied_counts(self, wheres: Sequence[TicketFilter]) -> list[int]:
        """Counts of filters by queue, status, assignee and channel only, from the rows of ticket_counts (kept by
        triggers, migration 0016): a few rows each instead of up to COUNT_CAP + 1 requests. Capped as the others
        are, so a count reads the same whichever way it was made."""
        groups: dict[tuple[int | None, str | None], list[TicketFilter]] = {}
        for where in wheres:  # the list's counts differ in their status and queues only: one statement
            groups.setdefault((where.assignee_id, where.channel or None), []).append(where)
        tallies: dict[tuple[int | None, str | None], Sequence[Any]] = {}
        for (assignee_id, channel), group in groups.items():
            queue_ids = None if any(where.queue_ids is None for where in group) \
                else sorted({queue_id for where in group for queue_id in where.queue_ids or ()})
            shape = (self._postgresql, assignee_id is not None, channel is not None, queue_ids is not None)
            params = {'assignee_key': assignee_id, 'channel': channel, 'queue_ids': queue_ids or []}
            tallies[assignee_id, channel] = await execution.fetch(
                self.connection, _built(('tallied', *shape), partial(_tallies, *shape)), params)
        return [min(COUNT_CAP + 1, sum(count for queue_id, status_id, count in tallies[where.assignee_id,
                                                                                         where.channel or None]
                                       if (where.queue_ids is None or queue_id in where.queue_ids)
                                       and (where.status_ids is None or status_id in where.status_ids)))
                for where in wheres]

    async def _counted(self, wheres: Sequence[TicketFilter]) -> list[int]:
        """Counts of any filter, each counting up to COUNT_CAP + 1 matching requests, in one statement."""
        if not wheres:
            return []
        if len(wheres) > 1 and wheres[0].search:
            grouped = await self._searched_counts(wheres)
            if grouped is not None:
                return grouped
        shapes = tuple(_Shape.of(where, self._postgresql) for where in wheres)
        params: dict[str, Any] = {}
        for number, where in enumerate(wheres):
            params |= {f'{name}_{number}': value for name, value in _params(where).items()}
        rows = await execution.fetch(self.connection, _built(('counts', shapes), lambda: _counts(shapes)), params)
        found = {number: count for number, count in rows}
        return [found.get(number, 0) for number in range(len(wheres))]

    async def _searched_counts(self, wheres: Sequence[TicketFilter]) -> list[int] | None:
        """A search's counts per status from one pass over its matches, when they are no more than COUNT_CAP (then
        every count is exact, as the capped ones would be); None when there are more, or the filters differ in more
        than one status and its queues. Each capped count searched the trigram index again."""
        if any(where.status_ids is None or len(where.status_ids) != 1 for where in wheres):
            return None
        common = {replace(where, status_ids=None, queue_ids=None) for where in wheres}
        if len(common) != 1:
            return None
        queue_ids = None if any(where.queue_ids is None for where in wheres) \
            else tuple(sorted({queue_id for where in wheres for queue_id in where.queue_ids or ()}))
        where = replace(common.pop(), queue_ids=queue_ids)
        shape = _Shape.of(where, self._postgresql)
        rows = await execution.fetch(self.connection, _built(('grouped', shape), lambda: _grouped(shape)),
                                     _params(where))
        if sum(count for _status, _queue, count in rows) > COUNT_CAP:
            return None
        return [sum(count for status_id, queue_id, count in rows if (status_id,) == asked.status_ids
                    and (asked.queue_ids is None or queue_id in asked.queue_ids)) for asked in wheres]

    async def one(self, request_id: int) -> TicketListRow | None:
        found = (await self.connection.execute(joined(select(*_ROW)).where(Request.id == request_id))).one_or_none()
        return TicketListRow(*found) if found else None

    @property
    def _postgresql(self) -> bool:
        return self.connection.dialect.name == 'postgresql'


@dataclass(frozen=True)
class _Shape:
    """What a list statement looks like, whatever the values: the key its built statement is kept under."""

    postgresql: bool
    sort: str
    descending: bool
    queues: str  # '' (any) | 'one' | 'many': one is `=`, which PostgreSQL serves in index order, = ANY is not
    statuses: str
    open_only: bool
    assignee: str  # '' (anyone) | 'none' | 'id'
    by_author: bool
    by_channel: bool
    bounds: tuple[bool, ...]  # created_from, created_to, updated_from, updated_to given
    by_search: bool

    @classmethod
    def of(cls, where: TicketFilter, postgresql: bool) -> _Shape:
        assignee = '' if where.assignee_id is None else 'none' if where.assignee_id == UNASSIGNED else 'id'
        bounds = (where.created_from, where.created_to, where.updated_from, where.updated_to)
        return cls(postgresql, where.sort, where.descending, _how_many(where.queue_ids), _how_many(where.status_ids),
                   where.open_only, assignee, where.author_id is not None, bool(where.channel),
                   tuple(bound is not None for bound in bounds), bool(where.search))


def _how_many(ids: tuple[int, ...] | None) -> str:
    return '' if ids is None else 'one' if len(ids) == 1 else 'many'


def _params(where: TicketFilter) -> dict[str, Any]:
    return {'cap': COUNT_CAP + 1, 'queue_ids': list(where.queue_ids or ()), 'status_ids': list(where.status_ids or ()),
            'queue_id': (where.queue_ids or (0,))[0], 'status_id': (where.status_ids or (0,))[0],
            'assignee_id': where.assignee_id, 'author_id': where.author_id, 'channel': where.channel,
            'created_from': where.created_from, 'created_to': where.created_to, 'updated_from': where.updated_from,
            'updated_to': where.updated_to, 'pattern': f'%{escape_like(where.search.casefold())}%'}


# Statements are built once per shape, with bound parameters, and declared hot (run straight on asyncpg): building
# one, its cache key and SQLAlchemy's execution took more of a list call's CPU than PostgreSQL's work. A shape is a
# handful of flags; past MAX_SHAPES (a client trying every combination) statements are built per call as before,
# so what stays in memory is bounded.
MAX_SHAPES = 500
_shapes: dict[tuple[Any, ...], Executable] = {}


def _built(key: tuple[Any, ...], build: Callable[[], Executable]) -> Executable:
    found = _shapes.get(key)
    if found is None:
        found = build()
        if len(_shapes) < MAX_SHAPES:
            _shapes[key] = hot(found)
    return found


FEW = 1_000  # a search matching no more than this sorts its matches; one matching more walks the time index


def _ids(shape: _Shape, *, by_key: bool) -> Select:
    """The ids the filter matches (with the sort time), past the last row of the previous page."""
    column = Request.updated_at if shape.sort == 'updated' else Request.created_at
    ids = _filtered(select(Request.id, column.label('moment')), shape, '')
    if by_key:  # a row comparison, which both databases serve from the index
        key, last = tuple_(column, Request.id), tuple_(bindparam('after_time', type_=column.type),
                                                       bindparam('after_id', type_=Integer))
        ids = ids.where(key < last if shape.descending else key > last)
    return ids


def _few(shape: _Shape, *, by_key: bool) -> Select:
    capped = _ids(shape, by_key=by_key).with_only_columns(Request.id).limit(FEW + 1).subquery()
    return select(func.count()).select_from(capped)


def _page(shape: _Shape, *, by_key: bool, few: bool = False) -> Select:
    column = Request.updated_at if shape.sort == 'updated' else Request.created_at
    order = (column.desc(), Request.id.desc()) if shape.descending else (column.asc(), Request.id.asc())
    ids = _ids(shape, by_key=by_key)
    if few:  # the matches first (a materialized CTE: the planner may not walk an index in order), then sorted
        matched = ids.cte('matched').prefix_with('MATERIALIZED')
        by = (matched.c.moment.desc(), matched.c.id.desc()) if shape.descending \
            else (matched.c.moment.asc(), matched.c.id.asc())
        chosen = select(matched.c.id).order_by(*by).limit(bindparam('limit', type_=Integer)).subquery()
    else:  # find the page on the index alone, then join the names for its rows only
        chosen = ids.order_by(*order).limit(bindparam('limit', type_=Integer)).subquery()
    return select(*_PAGE_ROW).join(chosen, chosen.c.id == Request.id).order_by(*order)


def _counts(shapes: tuple[_Shape, ...]) -> Executable:
    return union_all(*(select(literal(number, Integer), func.count()).select_from(
        _filtered(select(Request.id), shape, f'_{number}').limit(bindparam(f'cap_{number}', type_=Integer)).subquery())
        for number, shape in enumerate(shapes)))


def _tallied(where: TicketFilter) -> bool:
    """Whether ticket_counts answers this filter: it keeps requests by queue, status, assignee and channel only."""
    return where.author_id is None and not where.search and not where.open_only \
        and (where.created_from, where.created_to, where.updated_from, where.updated_to) == (None, None, None, None)


def _tallies(postgresql: bool, by_assignee: bool, by_channel: bool, by_queues: bool) -> Select:
    """(queue, status, requests) of ticket_counts' rows under an assignee (UNASSIGNED: nobody) and channel."""
    query = select(TicketCount.queue_id, TicketCount.status_id, func.sum(TicketCount.tickets)) \
        .group_by(TicketCount.queue_id, TicketCount.status_id)
    if by_queues:
        query = query.where(TicketCount.queue_id == any_(bindparam('queue_ids', type_=ARRAY(Id))) if postgresql
                            else TicketCount.queue_id.in_(bindparam('queue_ids', expanding=True)))
    if by_assignee:  # the key of nobody is UNASSIGNED itself (-1), so the filter's value is the key
        query = query.where(TicketCount.assignee_key == bindparam('assignee_key', type_=Id))
    if by_channel:
        query = query.where(TicketCount.channel == bindparam('channel', type_=String))
    return query


def _grouped(shape: _Shape) -> Select:
    matched = _filtered(select(Request.status_id, Request.queue_id), shape, '') \
        .limit(bindparam('cap', type_=Integer)).subquery()
    return select(matched.c.status_id, matched.c.queue_id, func.count()) \
        .group_by(matched.c.status_id, matched.c.queue_id)


def _filtered(query: Select, shape: _Shape, suffix: str) -> Select:
    def bound(name: str, kind: Any = None) -> Any:
        return bindparam(name + suffix, type_=kind)

    def among(column: ColumnElement[Any], name: str, how_many: str) -> ColumnElement[bool]:
        # One value: `=`. More: on PostgreSQL one array parameter (= ANY, as IN (...) becomes there), so the
        # statement is the same for any number of values; on SQLite an expanding IN.
        if how_many == 'one':
            return column == bound(name, Id)
        if shape.postgresql:
            return column == any_(bindparam(f'{name}s{suffix}', type_=ARRAY(Id)))
        return column.in_(bindparam(f'{name}s{suffix}', expanding=True))

    if shape.queues:
        query = query.where(among(Request.queue_id, 'queue_id', shape.queues))
    if shape.statuses:
        query = query.where(among(Request.status_id, 'status_id', shape.statuses))
    if shape.open_only:
        query = query.where(Request.closed_at.is_(None))
    if shape.assignee == 'none':
        query = query.where(Request.assignee_id.is_(None))
    elif shape.assignee == 'id':
        query = query.where(Request.assignee_id == bound('assignee_id', Id))
    if shape.by_author:
        query = query.where(Request.author_id == bound('author_id', Id))
    if shape.by_channel:
        query = query.where(Request.channel == bound('channel', String))
    for column, name, given in ((Request.created_at, 'created_from', shape.bounds[0]),
                                (Request.created_at, 'created_to', shape.bounds[1]),
                                (Request.updated_at, 'updated_from', shape.bounds[2]),
                                (Request.updated_at, 'updated_to', shape.bounds[3])):
        if given:
            value = bound(name, column.type)
            query = query.where(column >= value if name.endswith('_from') else column < value)
    if shape.by_search:
        pattern = bound('pattern', String)
        customers = select(User.id).where(User.username_key.like(pattern, escape='\\'))
        # As in the inbox: `= ANY (ARRAY(...))` lets PostgreSQL OR the trigram index with the author index.
        by_author = Request.author_id == any_(func.array(customers.scalar_subquery())) if shape.postgresql \
            else Request.author_id.in_(customers)
        query = query.where(or_(Request.title_folded.like(pattern, escape='\\'), by_author))
    return query
