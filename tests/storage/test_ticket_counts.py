"""The ticket list's counts per status in one statement: each the same as its own capped count."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.desk import Desk
from storage import tickets
from storage.models import Queue, WorkflowStatus
from storage.tickets import TicketFilter
from tests.factories import make_request, make_user


async def _board(desk: Desk) -> tuple[int, list[int]]:
    async with desk.queues.uow() as uow:
        queue_id, workflow_id = (await uow.connection.execute(
            select(Queue.id, Queue.workflow_id).where(Queue.name == 'Board'))).one()
        statuses = (await uow.connection.execute(select(WorkflowStatus.id).where(
            WorkflowStatus.workflow_id == workflow_id).order_by(WorkflowStatus.position))).scalars().all()
    return queue_id, list(statuses)


async def test_counts_in_one_statement_match_one_count_each(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tickets, 'COUNT_CAP', 3)  # counts stop at 4: the cap holds in every branch
    author, other = await make_user(desk), await make_user(desk)
    for number in range(6):
        await make_request(desk, author, title=f'Printer {number}')
    await make_request(desk, other, title='Scanner')
    queue_id, statuses = await _board(desk)
    wheres = [TicketFilter(queue_ids=(queue_id,), status_ids=(status,)) for status in statuses] + [
        TicketFilter(queue_ids=(queue_id,), author_id=other.id),
        TicketFilter(queue_ids=(queue_id,), search='scan'),
        TicketFilter(queue_ids=(queue_id,), search='nothing like it'),
        TicketFilter(queue_ids=(queue_id, queue_id + 1000), open_only=True),
        TicketFilter(),
    ]
    async with desk.queues.uow() as uow:
        together = await uow.tickets.counts(wheres)
        apart = [await uow.tickets.count(where) for where in wheres]
        assert await uow.tickets.counts([]) == []
    assert together == apart
    assert together[:len(statuses)] == [4, 0, 0]  # the first status holds all 7, counted no further than 4
    assert together[len(statuses):] == [1, 1, 0, 4, 4]


async def test_a_searchs_counts_from_one_pass_match_one_count_each(desk: Desk,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    author = await make_user(desk)
    for number in range(5):
        await make_request(desk, author, title=f'Printer {number} jams')
    await make_request(desk, author, title='Scanner')
    queue_id, statuses = await _board(desk)
    for cap in (10, 4, 2):  # more matches than the cap: the capped count per status instead, the same figures
        monkeypatch.setattr(tickets, 'COUNT_CAP', cap)
        for queues in ((queue_id,), (queue_id, queue_id + 1000), None):
            wheres = [TicketFilter(queue_ids=queues, status_ids=(status,), search='printer') for status in statuses]
            wheres.append(TicketFilter(queue_ids=(queue_id + 1000,), status_ids=(statuses[0],), search='printer'))
            async with desk.queues.uow() as uow:
                together = await uow.tickets.counts(wheres)
                apart = [await uow.tickets.count(where) for where in wheres]
            assert together == apart
            assert together == [min(5, cap + 1), 0, 0, 0]
