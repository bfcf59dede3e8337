"""The ticket list's counts per status in one statement: each the same as its own capped count."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select, update

from domain.desk import Desk
from domain.tickets.queues import NOBODY
from storage import tickets
from storage.inbox import UNASSIGNED
from storage.models import Message, Queue, Request, WorkflowStatus
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


async def _counted_each(desk: Desk, wheres: list[TicketFilter]) -> tuple[list[int], list[int]]:
    """(the list's counts, each counted over the requests themselves)"""
    async with desk.queues.uow() as uow:
        return await uow.tickets.counts(wheres), [(await uow.tickets._counted([where]))[0] for where in wheres]


async def test_the_kept_counts_follow_every_way_a_request_is_written(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    agent, customer = await make_user(desk, role='agent'), await make_user(desk)
    queue_id, statuses = await _board(desk)
    board = [await make_request(desk, customer, title=f'Printer {n}') for n in range(4)]
    chat = await desk.telegram.intake(chat_id=7_700_001, from_name='Tg', text='parcel late', message_ref=1)
    assert chat is not None
    async with desk.queues.uow() as uow:
        telegram = await uow.connection.scalar(select(Message.request_id).where(Message.id == chat.id))
    await desk.tickets.take(actor_id=agent.id, request_id=board[0])
    await desk.tickets.take(actor_id=agent.id, request_id=telegram)
    await desk.tickets.assign(actor_id=admin.id, request_id=board[1], assignee_id=admin.id)
    await desk.tickets.assign(actor_id=admin.id, request_id=board[1], assignee_id=None)  # back to nobody
    await desk.requests.change_status(actor_id=agent.id, request_id=board[0], status_id=statuses[1])
    await desk.requests.change_status(actor_id=agent.id, request_id=board[2], status_id=statuses[-1])
    async with desk.queues.uow(write=True) as uow:  # a write no service makes: the database keeps them anyway
        await uow.connection.execute(update(Request).where(Request.id == board[3]).values(channel='api'))
        await uow.connection.execute(delete(Message).where(Message.request_id == board[3]))
        await uow.connection.execute(delete(Request).where(Request.id == board[3]))
        await uow.commit()
    moved = await desk.queues.delete_status(actor_id=admin.id, status_id=statuses[1], move_to_status_id=statuses[0])
    assert moved == 1

    async with desk.queues.uow() as uow:
        all_queues = [q.id for q in await uow.workflows.queues()]
        every_status = (await uow.connection.execute(select(WorkflowStatus.id))).scalars().all()
    wheres = [TicketFilter(queue_ids=queues, status_ids=status_ids, assignee_id=assignee, channel=channel)
              for queues in (None, (queue_id,), tuple(all_queues), ())
              for status_ids in (None, *((status,) for status in every_status))
              for assignee in (None, UNASSIGNED, agent.id, admin.id, NOBODY)
              for channel in (None, 'web', 'telegram', 'api')]
    assert all(tickets._tallied(where) for where in wheres)
    kept, counted = await _counted_each(desk, wheres)
    assert kept == counted
    board_counts = [TicketFilter(queue_ids=(queue_id,), status_ids=(status,)) for status in statuses]
    assert (await _counted_each(desk, board_counts))[0] == [2, 0, 1]  # the moved one is open again; one closed
    assert (await _counted_each(desk, [TicketFilter(assignee_id=agent.id, channel='telegram')]))[0] == [1]
    assert (await _counted_each(desk, [TicketFilter(channel='api')]))[0] == [0]  # deleted


async def test_counts_by_customer_dates_or_text_still_count_the_requests(desk: Desk,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    tally = tickets.TicketRepository._tallies

    def spied(self: tickets.TicketRepository, wheres: list[TicketFilter]) -> object:
        calls.append(len(wheres))
        return tally(self, wheres)

    monkeypatch.setattr(tickets.TicketRepository, '_tallies', spied)
    author, other = await make_user(desk), await make_user(desk)
    await make_request(desk, author, title='Printer')
    await make_request(desk, other, title='Scanner')
    queue_id, statuses = await _board(desk)
    never = datetime(2000, 1, 1, tzinfo=UTC)
    wheres = [TicketFilter(queue_ids=(queue_id,), status_ids=(statuses[0],), author_id=author.id),
              TicketFilter(search='scan'), TicketFilter(created_to=never), TicketFilter(updated_from=never),
              TicketFilter(open_only=True)]
    assert not any(tickets._tallied(where) for where in wheres)
    async with desk.queues.uow() as uow:
        assert await uow.tickets.counts(wheres) == [1, 1, 0, 2, 2]
    assert calls == []


async def test_the_kept_counts_stay_right_under_concurrent_moves_both_ways(desk: Desk) -> None:
    """Moves between the same two statuses, both ways at once, each in its own transaction: no deadlock (the
    triggers lock their rows in one order), nothing lost."""
    agent, customer = await make_user(desk, role='agent'), await make_user(desk)
    queue_id, statuses = await _board(desk)
    ids = [await make_request(desk, customer, title=f'Printer {n}') for n in range(12)]
    for request_id in ids[::2]:
        await desk.requests.change_status(actor_id=agent.id, request_id=request_id, status_id=statuses[1])
    for _round in range(2):  # every ticket moves to the other status, all at once, then back
        targets = {}
        async with desk.queues.uow() as uow:
            for request_id in ids:
                record = await uow.requests.record(request_id)
                assert record is not None
                targets[request_id] = statuses[0] if record.status_id == statuses[1] else statuses[1]
        await asyncio.gather(*(desk.requests.change_status(actor_id=agent.id, request_id=request_id,
                                                           status_id=target) for request_id, target in targets.items()))
    wheres = [TicketFilter(queue_ids=(queue_id,), status_ids=(status,)) for status in statuses]
    kept, counted = await _counted_each(desk, wheres)
    assert kept == counted == [6, 6, 0]


async def test_a_page_with_its_counts_in_one_statement_reads_as_the_page_and_the_counts_apart(
        desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    agent, author, other = await make_user(desk, role='agent'), await make_user(desk), await make_user(desk)
    made = [await make_request(desk, author if n % 3 else other, title=f'Printer {n} jams') for n in range(7)]
    await desk.tickets.take(actor_id=agent.id, request_id=made[1])
    queue_id, statuses = await _board(desk)
    await desk.requests.change_status(actor_id=agent.id, request_id=made[2], status_id=statuses[1])
    since = datetime(2000, 1, 1, tzinfo=UTC)
    filters = [TicketFilter(), TicketFilter(queue_ids=(queue_id,), assignee_id=UNASSIGNED),  # ticket_counts
               TicketFilter(channel='web', descending=False), TicketFilter(author_id=author.id),  # capped counts
               TicketFilter(created_from=since, sort='created', descending=False),
               TicketFilter(search='printer'), TicketFilter(search='printer', queue_ids=(queue_id,))]  # one pass
    for cap in (10, 2):  # 2: a search matches more, so its counts are capped counts, made apart
        monkeypatch.setattr(tickets, 'COUNT_CAP', cap)
        for where in filters:
            counted = [replace(where, status_ids=(status,)) for status in statuses]
            paged = replace(where, status_ids=(statuses[0],)) if where.author_id else where
            async with desk.queues.uow() as uow:
                rows, numbers = await uow.tickets.page_and_counts(paged, limit=2, counted=counted)
                assert rows == await uow.tickets.page(paged, limit=2)
                assert numbers == await uow.tickets.counts(counted) == [await uow.tickets.count(w) for w in counted]
                moment = rows[-1].updated_at if where.sort == 'updated' else rows[-1].created_at
                after = (moment, rows[-1].id)
                rest, numbers = await uow.tickets.page_and_counts(paged, limit=10, after=after, counted=counted)
                assert rest == await uow.tickets.page(paged, limit=10, after=after)
                assert numbers == await uow.tickets.counts(counted)
                assert rows + rest == (await uow.tickets.page_and_counts(paged, limit=20, counted=counted))[0]
            assert len(rows) == 2 and rest
