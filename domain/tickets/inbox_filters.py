"""The desk's filters as storage reads them: whose tickets, and the counts per status beside a page."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import NotFound
from storage.inbox import UNASSIGNED, InboxFilter
from storage.rows import StatusRow, UserRow
from storage.tickets import TicketFilter
from storage.unit_of_work import UnitOfWork


def assignee_filter(assignee: str | int, viewer: UserRow) -> int | None:
    if assignee == 'any':
        return None
    if assignee == 'me':
        return viewer.id
    if assignee == 'unassigned':
        return UNASSIGNED
    if isinstance(assignee, int):
        return assignee
    raise NotFound('Unknown assignee filter.', field='assignee')


def shown(where: InboxFilter, status: StatusRow) -> bool:
    """Whether the view shows tickets in `status`: the total is the sum of the counts it shows."""
    if where.status_id is not None:
        return status.id == where.status_id
    return not (where.open_only and status.kind == 'closed')  # closed statuses always set closed_at


async def status_counts(uow: UnitOfWork, where: InboxFilter, statuses: Sequence[StatusRow]) -> list[int]:
    """The count in each status, with every other filter of the view. Without a search, in one statement that
    ticket_counts answers (kept by triggers): every agent's open desk counts again on each change, and a statement
    per status cost each of those reads more than the page itself (bench/live_load.py scenario 2)."""
    if where.search:
        return [await uow.inbox.count(with_status(where, status.id)) for status in statuses]
    return await uow.tickets.counts([TicketFilter(queue_ids=where.queue_ids, status_ids=(status.id,),
                                                  assignee_id=where.assignee_id, channel=where.channel)
                                     for status in statuses])


def with_status(where: InboxFilter, status_id: int) -> InboxFilter:
    return InboxFilter(**{**where.__dict__, 'status_id': status_id, 'open_only': False})
