"""Alternative inbox queries, swapped in for this benchmark process only (--variant NAME); the app is unchanged.

Each variant is the code change it stands for, written as a replacement of one function:

- search-union: the search as `requests.id IN (title matches UNION tickets of matching customers)` instead of
  `title LIKE ... OR author_id IN (SELECT ...)`, whose hashed subplan keeps PostgreSQL from using any index
  (a sequential scan of every ticket, per count and for the page). Portable: SQLite and PostgreSQL.
- search-any: the same OR, with `author_id = ANY (ARRAY(SELECT ...))` on PostgreSQL, which becomes a BitmapOr of
  the trigram index and the author index (SQLite keeps `IN (SELECT ...)`).
- total-from-counts: TicketService.inbox takes the total from the per-status counts it has just made (the
  status's count, or the sum over the statuses the view shows) instead of one more capped count.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from sqlalchemy import Select, any_, func, or_, select, union

import domain.tickets as tickets
import storage.inbox as inbox
from domain.errors import InvalidInput
from domain.tickets import PAGE_SIZE, InboxPage, InboxQuery, TicketService
from storage.inbox import UNASSIGNED, InboxFilter
from storage.models import Request, User
from storage.requests import COUNT_CAP, escape_like

_postgresql = False  # set by apply_variants, for search-any


def _filtered(query: Select, where: InboxFilter, *, search: Callable[[str], object]) -> Select:
    """storage.inbox._filtered with the search condition made by `search(pattern)`."""
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
        query = query.where(search(f'%{escape_like(where.search.casefold())}%'))
    return query


def _search_union(pattern: str) -> object:
    customers = select(User.id).where(User.username_key.like(pattern, escape='\\'))
    return Request.id.in_(union(select(Request.id).where(Request.title_folded.like(pattern, escape='\\')),
                                select(Request.id).where(Request.author_id.in_(customers))))


def _search_any(pattern: str) -> object:
    customers = select(User.id).where(User.username_key.like(pattern, escape='\\'))
    by_author = Request.author_id == any_(func.array(customers.scalar_subquery())) if _postgresql \
        else Request.author_id.in_(customers)
    return or_(Request.title_folded.like(pattern, escape='\\'), by_author)


async def _inbox_total_from_counts(self: TicketService, *, viewer_id: int | None, query: InboxQuery) -> InboxPage:
    """TicketService.inbox, with `total` from the per-status counts (changed lines marked)."""
    if query.sort not in ('created', 'updated'):
        raise InvalidInput('Unknown sort order.', field='sort')
    async with self.uow() as uow:
        viewer = await tickets._staff(uow, viewer_id)
        queues = await uow.workflows.private_queues()
        queue_ids = tuple(q.id for q in queues if query.queue_id in (None, q.id))
        where = InboxFilter(queue_ids=queue_ids, status_id=query.status_id, open_only=query.open_only,
                            assignee_id=tickets._assignee_filter(query.assignee, viewer), channel=query.channel,
                            search=query.search.strip()[:200], sort=query.sort, descending=query.descending)
        counts, total = {}, 0
        for workflow_id in dict.fromkeys(q.workflow_id for q in queues if q.id in queue_ids):
            for status in await uow.workflows.statuses(workflow_id):
                counts[status.id] = await uow.inbox.count(tickets._with_status(where, status.id))
                if where.status_id == status.id or (where.status_id is None and  # changed
                                                    not (where.open_only and status.kind == 'closed')):
                    total += counts[status.id]  # changed: was `total = await uow.inbox.count(where)`
        pages = max(1, math.ceil(min(total, COUNT_CAP) / PAGE_SIZE))
        page = min(max(1, query.page), pages)
        rows = await uow.inbox.page(where, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return InboxPage(rows, counts, page, pages, min(total, COUNT_CAP))


def _use_search(search: Callable[[str], object]) -> Callable[[], None]:
    def apply() -> None:
        def filtered(query: Select, where: InboxFilter, *_ignored: object) -> Select:
            return _filtered(query, where, search=search)
        inbox._filtered = filtered  # type: ignore[assignment]
    return apply


def _use_total_from_counts() -> None:
    TicketService.inbox = _inbox_total_from_counts  # type: ignore[method-assign]


VARIANTS: dict[str, Callable[[], None]] = {
    'search-union': _use_search(_search_union),
    'search-any': _use_search(_search_any),
    'total-from-counts': _use_total_from_counts,
}
ORIGINALS = (inbox._filtered, TicketService.inbox)


def apply_variants(names: list[str], *, postgresql: bool) -> None:
    """Swap in the named variants (after undoing any earlier ones)."""
    global _postgresql
    _postgresql = postgresql
    inbox._filtered, TicketService.inbox = ORIGINALS  # type: ignore[method-assign]
    for name in names:
        VARIANTS[name]()
