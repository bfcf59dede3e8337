"""Tickets in every queue: one keyset-paged list with the inbox's filters, and capped counts per status.

The list's statements are built in storage/ticket_list.py; counts by queue, status, assignee and channel come from
the ticket_counts table (migration 0016), the others from capped scans.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from operator import attrgetter
from typing import Any

from sqlalchemy import Select, String, Subquery, Table, any_, bindparam, func, select, text, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from . import execution
from .column_types import Id
from .inbox import Assignee, Customer, joined
from .models import Queue, Request, TicketCount, TicketCountDelta, WorkflowStatus
from .requests import COUNT_CAP
from .ticket_list import (
    COUNTED_AT,
    FEW,
    Shape,
    TicketFilter,
    built,
    counts,
    few,
    grouped,
    page,
    params,
    with_counts,
)

__all__ = ['TicketFilter', 'TicketListRow', 'TicketRepository']

_FOLD = text(
    'WITH moved AS (DELETE FROM ticket_count_deltas RETURNING queue_id, status_id, assignee_key, channel, tickets) '
    'INSERT INTO ticket_counts AS c (queue_id, status_id, assignee_key, channel, tickets) '
    'SELECT queue_id, status_id, assignee_key, channel, sum(tickets) FROM moved '
    'GROUP BY queue_id, status_id, assignee_key, channel ORDER BY queue_id, status_id, assignee_key, channel '
    'ON CONFLICT (queue_id, status_id, assignee_key, channel) DO UPDATE SET tickets = c.tickets + excluded.tickets')


@dataclass  # not frozen: a frozen dataclass's __init__ cost six times as much, 25 rows a page
class TicketListRow:
    """One line of the ticket list, whatever its queue; read only, as every row here."""

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


@dataclass(frozen=True)
class _Counting:
    """One statement that counts some filters: its key and builder (for `built`), its values, and what turns its
    rows (of up to three numbers) into the counts, or None when they cannot tell (see _searched)."""

    key: tuple[Any, ...]
    build: Callable[[], Select]
    values: dict[str, Any]
    read: Callable[[Sequence[Sequence[Any]]], list[int] | None]


_ROW = (Request.id, Request.title, Request.queue_id, Queue.name, Request.status_id, WorkflowStatus.name,
        WorkflowStatus.kind, Request.author_id, Customer.display_name, Request.assignee_id, Assignee.display_name,
        Request.channel, Request.created_at, Request.updated_at, Request.closed_at)


class TicketRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def page(self, where: TicketFilter, *, limit: int, after: tuple[datetime, int] | None = None
                   ) -> list[TicketListRow]:
        """The rows that follow the one with this (sort time, id): served by a (…, time DESC, id DESC) index."""
        return (await self.page_and_counts(where, limit=limit, after=after))[0]

    async def page_and_counts(self, where: TicketFilter, *, limit: int, after: tuple[datetime, int] | None = None,
                              counted: Sequence[TicketFilter] = ()) -> tuple[list[TicketListRow], list[int]]:
        """`page`, and what `counts` says of the `counted` filters: in one statement when their counts are one.

        Each statement costs the server about as much CPU as the rest of a list call: its round trip to PostgreSQL
        and back, whatever its rows. So the counts' rows come with the page's, as rows of their own (no id)."""
        shape, by_key = Shape.of(where, self._postgresql), after is not None
        values = params(where, COUNT_CAP + 1) | {'limit': limit}
        if after is not None:
            values |= {'after_time': after[0], 'after_id': after[1]}
        matches_few = False
        if shape.by_search and shape.postgresql:
            # PostgreSQL guesses how many titles a pattern matches from trigram statistics, often far off: for a
            # few hundred matches it walked the whole time index for 26 of them (35 ms) instead of sorting them
            # (2 ms). So count first, no further than FEW: when that is all, the page sorts just those.
            probe = built(('few', shape, by_key), lambda: few(shape, by_key=by_key))
            matches_few = await execution.scalar(self.connection, probe, values) <= FEW
        key = ('page', shape, by_key, matches_few)
        build = partial(page, shape, by_key=by_key, few=matches_few)
        counting = self._counting(counted) if counted else None
        if counting is None:
            rows = await execution.fetch(self.connection, built(key, build), values)
            return [TicketListRow(*row) for row in rows], await self.counts(counted) if counted else []
        found = await execution.fetch(self.connection, built((*key, counting.key), partial(
            with_counts, build, counting.build)), values | counting.values)
        rows = sorted((TicketListRow(*row) for row in found if row[0] is not None), reverse=shape.descending,
                      key=attrgetter('updated_at' if shape.sort == 'updated' else 'created_at', 'id'))
        numbers = counting.read([[row[n] for n in COUNTED_AT] for row in found if row[0] is None])
        return rows, numbers if numbers is not None else await self._counted(counted, searched=False)

    async def count(self, where: TicketFilter) -> int:
        """How many match, counting no further than COUNT_CAP + 1."""
        return (await self.counts([where]))[0]

    async def counts(self, wheres: Sequence[TicketFilter]) -> list[int]:
        """How many match each filter, counting no further than COUNT_CAP + 1: from ticket_counts for the filters it
        answers, the others counted in one statement (the list's counts per status were one statement each, and
        each cost the server more than its capped scan cost PostgreSQL)."""
        found: dict[int, int] = {}
        groups: dict[tuple[int | None, str | None], list[int]] = {}
        for number, where in enumerate(wheres):  # the list's counts differ in their status and queues only
            if _tallied(where):
                groups.setdefault((where.assignee_id, where.channel or None), []).append(number)
        for numbers in groups.values():
            counting = self._tallies([wheres[n] for n in numbers])
            tallied = counting.read(await execution.fetch(self.connection, built(counting.key, counting.build),
                                                          counting.values))
            found |= dict(zip(numbers, tallied or (), strict=True))
        rest = [number for number in range(len(wheres)) if number not in found]
        for number, count in zip(rest, await self._counted([wheres[n] for n in rest]), strict=True):
            found[number] = count
        return [found[number] for number in range(len(wheres))]

    async def fold_counts(self) -> None:
        """Move the deltas into ticket_counts, in one statement: a read sees them on one side or the other, and two
        folds at once (two instances) each move a row at most once (PostgreSQL; SQLite has no deltas)."""
        if self._postgresql:
            await self.connection.execute(_FOLD)

    def _counting(self, wheres: Sequence[TicketFilter]) -> _Counting | None:
        """The one statement that counts these filters, if one does: ticket_counts' rows, one pass over a search's
        matches, or capped counts."""
        if all(_tallied(where) for where in wheres):
            if len({(where.assignee_id, where.channel or None) for where in wheres}) == 1:
                return self._tallies(wheres)
            return None
        if any(_tallied(where) for where in wheres):
            return None
        return (self._searched(wheres) if len(wheres) > 1 and wheres[0].search else None) or self._capped(wheres)

    def _tallies(self, wheres: Sequence[TicketFilter]) -> _Counting:
        """Counts of filters by queue, status, assignee and channel only (all alike in their assignee and channel),
        from the rows of ticket_counts (kept by triggers, migration 0016): a few rows each instead of up to
        COUNT_CAP + 1 requests. Capped as the others are, so a count reads the same whichever way it was made."""
        assignee_id, channel = wheres[0].assignee_id, wheres[0].channel or None
        queue_ids = None if any(where.queue_ids is None for where in wheres) \
            else sorted({queue_id for where in wheres for queue_id in where.queue_ids or ()})
        shape = (self._postgresql, assignee_id is not None, channel is not None, queue_ids is not None)

        def read(rows: Sequence[Sequence[Any]]) -> list[int]:
            return [min(COUNT_CAP + 1, sum(count for queue_id, status_id, count in rows
                                           if (where.queue_ids is None or queue_id in where.queue_ids)
                                           and (where.status_ids is None or status_id in where.status_ids)))
                    for where in wheres]
        return _Counting(('tallied', *shape), partial(_tallies, *shape), {
            'assignee_key': assignee_id, 'tallied_channel': channel, 'tallied_queue_ids': queue_ids or []}, read)

    def _capped(self, wheres: Sequence[TicketFilter]) -> _Counting:
        """Counts of any filter, each counting up to COUNT_CAP + 1 matching requests, in one statement."""
        shapes = tuple(Shape.of(where, self._postgresql) for where in wheres)
        values: dict[str, Any] = {}
        for number, where in enumerate(wheres):
            values |= {f'{name}_{number}': value for name, value in params(where, COUNT_CAP + 1).items()}

        def read(rows: Sequence[Sequence[Any]]) -> list[int]:
            found = {number: count for number, count, *_rest in rows}
            return [found.get(number, 0) for number in range(len(wheres))]
        return _Counting(('counts', shapes), partial(counts, shapes), values, read)

    async def _counted(self, wheres: Sequence[TicketFilter], *, searched: bool = True) -> list[int]:
        """Counts of any filter: a search's from one pass over its matches when that tells, else capped counts."""
        if not wheres:
            return []
        counting = self._searched(wheres) if searched and len(wheres) > 1 and wheres[0].search else None
        if counting is not None:
            found = counting.read(await execution.fetch(self.connection, built(counting.key, counting.build),
                                                        counting.values))
            if found is not None:
                return found
        counting = self._capped(wheres)
        return counting.read(await execution.fetch(self.connection, built(counting.key, counting.build),
                                                   counting.values)) or []

    def _searched(self, wheres: Sequence[TicketFilter]) -> _Counting | None:
        """A search's counts per status from one pass over its matches, when they are no more than COUNT_CAP (then
        every count is exact, as the capped ones would be; more read as None); None when the filters differ in more
        than one status and its queues. Each capped count searched the trigram index again."""
        if any(where.status_ids is None or len(where.status_ids) != 1 for where in wheres):
            return None
        common = {replace(where, status_ids=None, queue_ids=None) for where in wheres}
        if len(common) != 1:
            return None
        queue_ids = None if any(where.queue_ids is None for where in wheres) \
            else tuple(sorted({queue_id for where in wheres for queue_id in where.queue_ids or ()}))
        where = replace(common.pop(), queue_ids=queue_ids)
        shape = Shape.of(where, self._postgresql)

        def read(rows: Sequence[Sequence[Any]]) -> list[int] | None:
            if sum(count for _status, _queue, count in rows) > COUNT_CAP:
                return None
            return [sum(count for status_id, queue_id, count in rows if (status_id,) == asked.status_ids
                        and (asked.queue_ids is None or queue_id in asked.queue_ids)) for asked in wheres]
        return _Counting(('grouped', shape), partial(grouped, shape),
                         {f'{name}_g': value for name, value in params(where, COUNT_CAP + 1).items()}, read)

    async def one(self, request_id: int) -> TicketListRow | None:
        found = (await self.connection.execute(joined(select(*_ROW)).where(Request.id == request_id))).one_or_none()
        return TicketListRow(*found) if found else None

    @property
    def _postgresql(self) -> bool:
        return self.connection.dialect.name == 'postgresql'


def _tallied(where: TicketFilter) -> bool:
    """Whether ticket_counts answers this filter: it keeps requests by queue, status, assignee and channel only."""
    return where.author_id is None and not where.search and not where.open_only \
        and (where.created_from, where.created_to, where.updated_from, where.updated_to) == (None, None, None, None)


def _tallies(postgresql: bool, by_assignee: bool, by_channel: bool, by_queues: bool) -> Select:
    """(queue, status, requests) of ticket_counts' rows under an assignee (UNASSIGNED: nobody) and channel; on
    PostgreSQL with the deltas not folded in yet (migration 0019)."""
    rows = _with_deltas() if postgresql else TicketCount.__table__
    query = select(rows.c.queue_id, rows.c.status_id, func.sum(rows.c.tickets)) \
        .group_by(rows.c.queue_id, rows.c.status_id)
    if by_queues:
        query = query.where(rows.c.queue_id == any_(bindparam('tallied_queue_ids', type_=ARRAY(Id)))
                            if postgresql else rows.c.queue_id.in_(bindparam('tallied_queue_ids', expanding=True)))
    if by_assignee:  # the key of nobody is UNASSIGNED itself (-1), so the filter's value is the key
        query = query.where(rows.c.assignee_key == bindparam('assignee_key', type_=Id))
    if by_channel:
        query = query.where(rows.c.channel == bindparam('tallied_channel', type_=String))
    return query


def _with_deltas() -> Subquery:
    """ticket_counts' rows and the deltas beside them; PostgreSQL takes each filter into both halves."""
    def rows(table: Table) -> Select:
        return select(table.c.queue_id, table.c.status_id, table.c.assignee_key, table.c.channel, table.c.tickets)
    return union_all(rows(TicketCount.__table__), rows(TicketCountDelta.__table__)).subquery('tallied')


