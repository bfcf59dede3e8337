"""The ticket list's statements: a filter, the shape it gives a statement, and the statements built once per shape.

storage/tickets.py runs them (TicketRepository); this module only builds them, with bound parameters, so one
built statement serves every call of its shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    any_,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql import ColumnElement, Executable

from .column_types import Id
from .execution import hot
from .inbox import UNASSIGNED, Assignee, Customer
from .models import Queue, Request, User, WorkflowStatus
from .requests import escape_like


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


def _named(column: Any, key: Any, value: Any) -> Any:
    return select(column).where(key == value).scalar_subquery()


# The page's names as one-row subqueries rather than joins: PostgreSQL plans a list statement on every call (its
# parameters decide the index), and searching the join order of five tables took ~1 ms of the ~1.4 ms it spent
# on a page; looking the names up per row plans in ~0.25 ms and runs as fast.
PAGE_ROW = (Request.id, Request.title, Request.queue_id, _named(Queue.name, Queue.id, Request.queue_id),
             Request.status_id, _named(WorkflowStatus.name, WorkflowStatus.id, Request.status_id),
             _named(WorkflowStatus.kind, WorkflowStatus.id, Request.status_id), Request.author_id,
             _named(Customer.display_name, Customer.id, Request.author_id), Request.assignee_id,
             _named(Assignee.display_name, Assignee.id, Request.assignee_id), Request.channel, Request.created_at,
             Request.updated_at, Request.closed_at)


@dataclass(frozen=True)
class Shape:
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
    def of(cls, where: TicketFilter, postgresql: bool) -> Shape:
        assignee = '' if where.assignee_id is None else 'none' if where.assignee_id == UNASSIGNED else 'id'
        bounds = (where.created_from, where.created_to, where.updated_from, where.updated_to)
        return cls(postgresql, where.sort, where.descending, _how_many(where.queue_ids), _how_many(where.status_ids),
                   where.open_only, assignee, where.author_id is not None, bool(where.channel),
                   tuple(bound is not None for bound in bounds), bool(where.search))


def _how_many(ids: tuple[int, ...] | None) -> str:
    return '' if ids is None else 'one' if len(ids) == 1 else 'many'


def params(where: TicketFilter, cap: int) -> dict[str, Any]:
    """The values of a statement of this filter's shape; `cap`: how far counts go."""
    return {'cap': cap, 'queue_ids': list(where.queue_ids or ()), 'status_ids': list(where.status_ids or ()),
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


def built(key: tuple[Any, ...], build: Callable[[], Executable]) -> Executable:
    found = _shapes.get(key)
    if found is None:
        found = build()
        if len(_shapes) < MAX_SHAPES:
            _shapes[key] = hot(found)
    return found


FEW = 1_000  # a search matching no more than this sorts its matches; one matching more walks the time index


def _ids(shape: Shape, *, by_key: bool) -> Select:
    """The ids the filter matches (with the sort time), past the last row of the previous page."""
    column = Request.updated_at if shape.sort == 'updated' else Request.created_at
    ids = _filtered(select(Request.id, column.label('moment')), shape, '')
    if by_key:  # a row comparison, which both databases serve from the index
        key, last = tuple_(column, Request.id), tuple_(bindparam('after_time', type_=column.type),
                                                       bindparam('after_id', type_=Integer))
        ids = ids.where(key < last if shape.descending else key > last)
    return ids


def few(shape: Shape, *, by_key: bool) -> Select:
    capped = _ids(shape, by_key=by_key).with_only_columns(Request.id).limit(FEW + 1).subquery()
    return select(func.count()).select_from(capped)


def page(shape: Shape, *, by_key: bool, few: bool = False) -> Select:
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
    return select(*PAGE_ROW).join(chosen, chosen.c.id == Request.id).order_by(*order)


def counts(shapes: tuple[Shape, ...]) -> Executable:
    return union_all(*(select(literal(number, Integer), func.count()).select_from(
        _filtered(select(Request.id), shape, f'_{number}').limit(bindparam(f'cap_{number}', type_=Integer)).subquery())
        for number, shape in enumerate(shapes)))


def grouped(shape: Shape) -> Select:
    matched = _filtered(select(Request.status_id, Request.queue_id), shape, '_g') \
        .limit(bindparam('cap_g', type_=Integer)).subquery()
    return select(matched.c.status_id, matched.c.queue_id, func.count()) \
        .group_by(matched.c.status_id, matched.c.queue_id)


# Where a page's statement with counts (with_counts) carries a count row's numbers: columns of the page's id type
# (queue_id, status_id, author_id), in rows whose id is NULL.
COUNTED_AT = (2, 4, 7)


def with_counts(page: Callable[[], Select], counts: Callable[[], Executable]) -> Executable:
    """A page's rows and, after them, the rows of a statement of up to three numbers (counts), in one statement.

    The page's rows come out in no particular order (a union): TicketRepository sorts them again."""
    rows = page().subquery()
    numbers = counts().subquery()
    padded = [cast(null(), column.type) for column in rows.c]
    for at, column in zip(COUNTED_AT, numbers.c, strict=False):
        padded[at] = cast(column, rows.c[at].type)
    return union_all(select(*rows.c), select(*padded).select_from(numbers))


def _filtered(query: Select, shape: Shape, suffix: str) -> Select:
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
