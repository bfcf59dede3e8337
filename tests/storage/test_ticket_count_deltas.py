"""Writers of one queue do not wait for each other's count row: each adds a delta (PostgreSQL, migration 0019)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from domain.desk import Desk
from storage.models import TicketCountDelta
from storage.tickets import TicketFilter
from tests.factories import make_request, make_user
from tests.storage.test_ticket_counts import _board, _counted_each


async def _deltas(desk: Desk) -> int:
    async with desk.queues.uow() as uow:
        return int((await uow.connection.execute(select(func.count()).select_from(TicketCountDelta))).scalar_one())


async def test_a_new_ticket_waits_for_no_uncommitted_ticket_of_its_queue(desk: Desk) -> None:
    if desk.database.is_sqlite:
        pytest.skip('one SQLite writer at a time waits for the other whatever it writes')
    customer, other = await make_user(desk), await make_user(desk)
    queue_id, statuses = await _board(desk)
    async with desk.queues.uow(write=True) as first:  # inserted, not committed: its counts change is pending
        await first.requests.add(queue_id=queue_id, title='First', description='', status_id=statuses[0],
                                 author_id=customer.id, channel='web', closed=False)
        second = await asyncio.wait_for(make_request(desk, other, title='Second'), timeout=5)  # not held up
        await first.commit()
    kept, counted = await _counted_each(desk, [TicketFilter(queue_ids=(queue_id,), status_ids=(statuses[0],))])
    assert second and kept == counted == [2]


async def test_the_counts_read_the_same_before_and_after_the_deltas_are_folded_in(desk: Desk) -> None:
    agent, customer = await make_user(desk, role='agent'), await make_user(desk)
    queue_id, statuses = await _board(desk)
    ids = [await make_request(desk, customer, title=f'Printer {n}') for n in range(3)]
    await desk.requests.change_status(actor_id=agent.id, request_id=ids[0], status_id=statuses[1])
    wheres = [TicketFilter(queue_ids=(queue_id,), status_ids=(status,)) for status in statuses]
    before, counted = await _counted_each(desk, wheres)
    assert before == counted == [2, 1, 0]
    if desk.database.is_sqlite:
        assert await _deltas(desk) == 0  # SQLite keeps ticket_counts itself
        return
    assert await _deltas(desk) > 0
    folding = desk.count_folding
    assert folding is not None
    await asyncio.gather(folding.fold(), folding.fold())  # two instances at once move each delta once
    assert await _deltas(desk) == 0
    assert (await _counted_each(desk, wheres))[0] == [2, 1, 0]
