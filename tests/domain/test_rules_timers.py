"""Time in status: an order moves PENDING → PAID → SHIPPED → CANCELED, one step per duration, on a fake clock.

Each step is run in two parts, as the workers would meet them in time: first whatever is due before the duration
ends (the follow-up of the last move, which queues the next timer), then one batch once the duration has passed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from domain.desk import Desk
from domain.rules import engine as rule_engine
from domain.rules.service import RuleDraft
from storage.database import Database
from storage.models import utcnow
from storage.rows import UserRow
from tests.domain.rule_steps import count_events, file_in, jobs, make_rule, queue_with, status_of, timeline
from tests.factories import make_user

MINUTE = 60


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


def moving_on(queue_id: int, seconds: int = MINUTE) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The shipped Orders rule's shape, on a queue of the test's own."""
    return ([{'field': 'queue', 'op': 'is', 'value': queue_id},
             {'field': 'status', 'op': 'in', 'value': ['PENDING', 'PAID', 'SHIPPED']},
             {'field': 'time_in_status', 'op': 'longer_than', 'value': seconds}],
            [{'type': 'set_status', 'status': '__next__'}])


async def since(desk: Desk, request_id: int) -> datetime:
    async with desk.worker.uow() as uow:
        found = await uow.rules.status_since(request_id)
    assert found is not None
    return found


async def before_and_after(desk: Desk, clock: Clock, request_id: int, seconds: int = MINUTE) -> None:
    """Run what is due just before the request's duration in its status ends, then one batch just after."""
    entered = await since(desk, request_id)
    clock.now = entered + timedelta(seconds=seconds - 1)
    await desk.worker.drain()
    assert await since(desk, request_id) == entered, 'moved before its time'
    clock.now = entered + timedelta(seconds=seconds + 1)
    await desk.worker.run_due()


async def waiting_a_second_short(desk: Desk, queue_id: int, customer: UserRow,
                                 statuses: dict[str, int]) -> tuple[Clock, int, datetime]:
    """An order filed in PENDING on a test clock, whose work ran up to one second before its timer is due: the
    clock, the order, and when it entered PENDING."""
    clock = desk.worker.clock = Clock()
    order = await file_in(desk, queue_id, customer, statuses['PENDING'])
    entered = await since(desk, order)
    clock.now = entered + timedelta(seconds=MINUTE - 1)
    await desk.worker.drain()
    return clock, order, entered


@pytest.fixture
async def orders(desk: Desk) -> tuple[UserRow, UserRow, int, dict[str, int]]:
    admin, customer = await make_user(desk, role='admin'), await make_user(desk)
    queue_id, statuses = await queue_with(desk, admin, 'Order')
    return admin, customer, queue_id, statuses


@pytest.fixture
async def other_instance(desk: Desk, database_url: str) -> AsyncIterator[Desk]:
    """Another app instance on the same database (on SQLite, one process's writers share the database's lock)."""
    database = desk.database if desk.database.is_sqlite else Database(database_url)
    database.start()
    await database.ready()
    other = Desk.build(database, secret_key='test secret', bcrypt_rounds=4)
    yield other
    if database is not desk.database:
        await other.stop()


async def test_an_order_moves_one_step_per_minute_until_it_is_canceled(desk: Desk, orders: Any) -> None:
    admin, customer, queue_id, statuses = orders
    rule_id = await make_rule(desk, admin, 'time_in_status', *moving_on(queue_id), name='Orders move on')
    clock = desk.worker.clock = Clock()
    order = await file_in(desk, queue_id, customer, statuses['PENDING'])
    for expected in ('PAID', 'SHIPPED', 'CANCELED'):
        await before_and_after(desk, clock, order)
        assert await status_of(desk, order) == expected
    clock.now += timedelta(days=1)
    await desk.worker.drain()
    assert await status_of(desk, order) == 'CANCELED'
    assert {job.status for job in await jobs(desk, 'rules.timer')} == {'done'}
    fired = await timeline(desk, order, 'rule.fired')
    assert [event.data['actions'] for event in fired] == [[{'type': 'set_status', 'to': name}]
                                                          for name in ('PAID', 'SHIPPED', 'CANCELED')]
    assert all(event.data['rule_id'] == rule_id for event in fired)


async def test_two_instances_never_move_an_order_two_steps_at_once(desk: Desk, other_instance: Desk,
                                                                   orders: Any) -> None:
    admin, customer, queue_id, statuses = orders
    await make_rule(desk, admin, 'time_in_status', *moving_on(queue_id))
    await make_rule(desk, admin, 'time_in_status', *moving_on(queue_id))  # a second timer for the same moment
    clock = Clock()
    for worker in (desk.worker, other_instance.worker):
        worker.clock, worker.batch = clock, 1  # one job each: the two timers run side by side, one per instance
    order = await file_in(desk, queue_id, customer, statuses['PENDING'])
    entered = await since(desk, order)
    clock.now = entered + timedelta(seconds=MINUTE - 1)
    await desk.worker.drain()
    assert len(await jobs(desk, 'rules.timer')) == 2
    clock.now = entered + timedelta(seconds=MINUTE + 1)
    await asyncio.gather(desk.worker.run_due(), other_instance.worker.run_due())
    assert await status_of(desk, order) == 'PAID'
    assert await count_events(desk, 'status.changed') == 1
    assert {job.status for job in await jobs(desk, 'rules.timer')} == {'done'}


async def test_a_waiting_timer_survives_a_restart(desk: Desk, database_url: str, orders: Any) -> None:
    admin, customer, queue_id, statuses = orders
    await make_rule(desk, admin, 'time_in_status', *moving_on(queue_id))
    clock, order, entered = await waiting_a_second_short(desk, queue_id, customer, statuses)
    await desk.stop()  # the process ends with the timer still waiting

    database = Database(database_url)
    database.start()
    restarted = Desk.build(database, secret_key='test secret', bcrypt_rounds=4)
    try:
        restarted.worker.clock = clock
        clock.now = entered + timedelta(seconds=MINUTE + 1)
        await restarted.worker.run_due()
        assert await status_of(restarted, order) == 'PAID'
        await before_and_after(restarted, clock, order)
        assert await status_of(restarted, order) == 'SHIPPED'
    finally:
        await restarted.stop()


async def test_a_timer_of_a_status_the_order_has_left_does_nothing(desk: Desk, orders: Any) -> None:
    admin, customer, queue_id, statuses = orders
    await make_rule(desk, admin, 'time_in_status', *moving_on(queue_id))
    clock, order, entered = await waiting_a_second_short(desk, queue_id, customer, statuses)
    await desk.requests.change_status(actor_id=admin.id, request_id=order, status_id=statuses['PAID'])  # by hand
    clock.now = entered + timedelta(seconds=MINUTE + 1)
    await desk.worker.run_due()  # the PENDING timer, and the follow-up of the move that queues the PAID one
    assert await status_of(desk, order) == 'PAID'
    assert await timeline(desk, order, 'rule.fired') == []
    await before_and_after(desk, clock, order)
    assert await status_of(desk, order) == 'SHIPPED'


async def test_saving_a_rule_schedules_the_orders_already_waiting(desk: Desk, orders: Any,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    admin, customer, queue_id, statuses = orders
    monkeypatch.setattr(rule_engine, 'SCHEDULE_BATCH', 2)  # five orders: three batches
    waiting = [await file_in(desk, queue_id, customer, statuses['PENDING']) for _ in range(5)]
    canceled = await file_in(desk, queue_id, customer, statuses['CANCELED'])
    await desk.worker.drain()
    assert await jobs(desk, 'rules.timer') == []
    await make_rule(desk, admin, 'time_in_status', *moving_on(queue_id))
    clock = desk.worker.clock = Clock()
    clock.now += timedelta(seconds=MINUTE / 2)  # the batches queue one another as they go: due at once
    await desk.worker.drain()
    assert len(await jobs(desk, 'rules.schedule')) == 3
    assert sorted(job.payload['request_id'] for job in await jobs(desk, 'rules.timer')) == waiting
    clock.now = max([await since(desk, order) for order in waiting]) + timedelta(seconds=MINUTE + 1)
    await desk.worker.run_due()
    assert [await status_of(desk, order) for order in waiting] == ['PAID'] * 5
    assert await status_of(desk, canceled) == 'CANCELED'


async def test_a_changed_duration_or_a_switched_off_rule_governs_waiting_timers(desk: Desk, orders: Any) -> None:
    admin, customer, queue_id, statuses = orders
    rule_id = await make_rule(desk, admin, 'time_in_status', *moving_on(queue_id), name='Orders move on')
    clock, order, _entered = await waiting_a_second_short(desk, queue_id, customer, statuses)
    await desk.rules.update(actor_id=admin.id, rule_id=rule_id,
                            draft=RuleDraft('Orders move on', 'time_in_status', *moving_on(queue_id, 2 * MINUTE)))
    await before_and_after(desk, clock, order)  # the one-minute timer comes due, and does nothing
    assert await status_of(desk, order) == 'PENDING'
    await before_and_after(desk, clock, order, 2 * MINUTE)
    assert await status_of(desk, order) == 'PAID'
    await desk.rules.set_enabled(actor_id=admin.id, rule_id=rule_id, enabled=False)
    clock.now += timedelta(days=1)
    await desk.worker.drain()
    assert await status_of(desk, order) == 'PAID'
