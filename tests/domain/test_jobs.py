"""Durable jobs: queued with their cause, run once, retried with backoff, failed at last, retried by an admin."""

from __future__ import annotations

import asyncio
import logging
import random
from contextlib import AbstractAsyncContextManager
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from domain.desk import Desk
from domain.errors import InvalidInput, PermissionDenied
from domain.events import JobsQueued
from domain.jobs.worker import PermanentError, Worker, backoff
from storage.jobs import JobRow, NewJob
from storage.models import utcnow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from tests.factories import make_request, make_user
from tests.ports import free_port


async def queue(desk: Desk, *jobs: NewJob) -> None:
    async with desk.worker.uow(write=True) as uow:
        await uow.jobs.add_many(list(jobs))
        await uow.commit()


async def test_a_job_runs_once_and_is_done(desk: Desk) -> None:
    seen: list[dict[str, object]] = []

    async def send(job: JobRow) -> None:
        seen.append(job.payload)

    desk.worker.handle('send', send)
    await queue(desk, NewJob('send', {'to': 'a'}), NewJob('send', {'to': 'b'}))
    await desk.worker.drain()
    await desk.worker.drain()
    assert sorted(p['to'] for p in seen) == ['a', 'b']
    admin = await make_user(desk, role='admin')
    done = await desk.jobs.list(actor_id=admin.id, status='done')
    assert len(done.rows) == 2 and all(row.finished_at is not None and row.attempts == 1 for row in done.rows)


async def test_a_dedup_key_queues_a_job_only_once(desk: Desk) -> None:
    await queue(desk, NewJob('send', {}, dedup_key='email:1:7'))
    await queue(desk, NewJob('send', {}, dedup_key='email:1:7'), NewJob('send', {}, dedup_key='email:1:8'))
    admin = await make_user(desk, role='admin')
    assert (await desk.jobs.overview(actor_id=admin.id)).counts['pending'] == 2


async def test_a_failing_job_is_retried_later_then_fails_with_the_last_error(desk: Desk) -> None:
    await queue(desk, NewJob('flaky', {}, max_attempts=3))
    now = [utcnow()]
    worker = Worker(desk.worker.uow, base_delay=10, clock=lambda: now[0])
    calls = 0

    async def flaky(job: JobRow) -> None:
        nonlocal calls
        calls += 1
        raise ConnectionError(f'down {calls}')

    worker.handle('flaky', flaky)
    assert await worker.run_due() == 1
    assert await worker.run_due() == 0  # not due again before its backoff
    for _ in range(2):
        now[0] += timedelta(seconds=60)
        assert await worker.run_due() == 1
    admin = await make_user(desk, role='admin')
    [failed] = (await desk.jobs.list(actor_id=admin.id, status='failed')).rows
    assert calls == 3 and failed.attempts == 3 and failed.last_error == 'ConnectionError: down 3'

    await desk.jobs.retry(actor_id=admin.id, job_id=failed.id)
    [again] = (await desk.jobs.list(actor_id=admin.id, status='pending')).rows
    assert again.id == failed.id and again.attempts == 0
    with pytest.raises(InvalidInput):
        await desk.jobs.retry(actor_id=admin.id, job_id=failed.id)


async def test_a_permanent_error_fails_at_once_and_an_unknown_kind_too(desk: Desk) -> None:
    async def bad(job: JobRow) -> None:
        raise PermanentError('no such chat')

    desk.worker.handle('bad', bad)
    await queue(desk, NewJob('bad', {}), NewJob('nobody handles this', {}))
    await desk.worker.run_due()
    admin = await make_user(desk, role='admin')
    failed = (await desk.jobs.list(actor_id=admin.id, status='failed')).rows
    assert sorted(row.last_error or '' for row in failed) == [
        "PermanentError: no handler for job kind 'nobody handles this'", 'PermanentError: no such chat']


async def test_a_job_whose_worker_died_is_claimed_again_after_its_lease(desk: Desk) -> None:
    await queue(desk, NewJob('send', {}))
    now = [utcnow()]
    dead = Worker(desk.worker.uow, lease=30, clock=lambda: now[0])
    async with desk.worker.uow(write=True) as uow:  # claimed, then the process died
        assert len(await uow.jobs.claim(now=now[0], lease_until=now[0] + timedelta(seconds=30), limit=10)) == 1
        await uow.commit()
    ran: list[int] = []

    async def send(job: JobRow) -> None:
        ran.append(job.attempts)

    dead.handle('send', send)
    assert await dead.run_due() == 0  # still leased
    now[0] += timedelta(seconds=31)
    assert await dead.run_due() == 1 and ran == [2]


async def test_two_workers_never_run_the_same_job(desk: Desk) -> None:
    ran: list[int] = []

    async def send(job: JobRow) -> None:
        await asyncio.sleep(0)
        ran.append(job.payload['n'])

    first, second = Worker(desk.worker.uow, batch=7), Worker(desk.worker.uow, batch=7)
    for worker in (first, second):
        worker.handle('send', send)
    await queue(desk, *(NewJob('send', {'n': n}) for n in range(100)))
    while await asyncio.gather(first.run_due(), second.run_due()) != [0, 0]:
        pass
    assert sorted(ran) == list(range(100))


async def test_the_running_worker_wakes_when_jobs_are_committed(desk: Desk) -> None:
    desk.worker.poll = 60  # only the wake-up can make it look in time
    ran = asyncio.Event()

    async def send(job: JobRow) -> None:
        ran.set()

    desk.worker.handle('send', send)
    desk.worker.start()
    await asyncio.sleep(0.1)
    published = desk.hub.published_by_kind.get(JobsQueued, 0)
    await queue(desk, NewJob('send', {}))
    await asyncio.wait_for(ran.wait(), 10)
    assert desk.hub.published_by_kind[JobsQueued] == published + 1


async def test_only_admins_see_and_retry_jobs(desk: Desk) -> None:
    agent = await make_user(desk, role='agent')
    with pytest.raises(PermissionDenied):
        await desk.jobs.list(actor_id=agent.id)
    with pytest.raises(PermissionDenied):
        await desk.jobs.retry(actor_id=agent.id, job_id=1)
    admin = await make_user(desk, role='admin')
    with pytest.raises(InvalidInput):
        await desk.jobs.list(actor_id=admin.id, status='sleeping')


def test_backoff_grows_with_jitter_up_to_the_cap() -> None:
    rng = random.Random(7)
    delays = [backoff(n, base=2, cap=60, rng=rng) for n in range(1, 10)]
    assert 1 <= delays[0] <= 2 and 8 <= delays[3] <= 16
    assert all(30 <= delay <= 60 for delay in delays[6:])


async def test_a_followed_event_queues_its_job_in_the_same_transaction(desk: Desk) -> None:
    followed: list[dict[str, object]] = []

    async def on_status(job: JobRow) -> None:
        followed.append(job.payload)

    desk.follow('status.changed', 'test.on_status', on_status)
    author = await make_user(desk)
    request_id = await make_request(desk, author)
    view = await desk.requests.open(viewer_id=author.id, request_id=request_id)
    await desk.requests.change_status(actor_id=author.id, request_id=request_id, status_id=view.next_statuses[0].id)
    async with desk.worker.uow(write=True) as uow:  # rolled back: neither the event nor its job stays
        uow.events.add('status.changed', actor_id=author.id, request_id=request_id)
    await desk.worker.drain()
    [payload] = followed
    assert payload['kind'] == 'status.changed' and payload['request_id'] == request_id
    assert payload['actor_id'] == author.id and payload['data'] == {'from': 'Open', 'to': view.next_statuses[0].name}


async def test_stopping_lets_the_job_under_way_finish_and_be_marked_done(desk: Desk) -> None:
    started, release = asyncio.Event(), asyncio.Event()

    async def slow(job: JobRow) -> None:
        started.set()
        await release.wait()

    desk.worker.handle('slow', slow)
    await queue(desk, NewJob('slow', {}))
    desk.worker.start()
    await asyncio.wait_for(started.wait(), 10)
    stopping = asyncio.create_task(desk.worker.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done()  # waits for the job rather than cancelling it mid-call
    release.set()
    await asyncio.wait_for(stopping, 10)
    admin = await make_user(desk, role='admin')
    assert (await desk.jobs.overview(actor_id=admin.id)).counts['done'] == 1


class _AwayThenBack:
    """The worker's units of work while the database refuses connections (a real refused connect to a port where
    nothing listens), then the desk's own."""

    def __init__(self, real: UnitOfWorkFactory, refusals: int) -> None:
        self.real, self.refusals = real, refusals
        self.dead = create_async_engine(f'postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/away')

    def __call__(self, **kwargs: object) -> AbstractAsyncContextManager[UnitOfWork]:
        if self.refusals:
            self.refusals -= 1
            return self.dead.connect()  # type: ignore[return-value]  # raises when entered
        return self.real(**kwargs)


async def test_a_database_away_is_one_warning_and_its_return_a_note_not_a_traceback_per_poll(
        desk: Desk, caplog: pytest.LogCaptureFixture) -> None:
    ran = asyncio.Event()

    async def send(job: JobRow) -> None:
        ran.set()

    await queue(desk, NewJob('send', {}))
    away = _AwayThenBack(desk.worker.uow, refusals=5)
    worker = Worker(away, poll=0.02)
    worker.handle('send', send)
    with caplog.at_level(logging.INFO, logger='domain.jobs.worker'):
        worker.start()
        await asyncio.wait_for(ran.wait(), 10)
        await worker.stop()
    await away.dead.dispose()
    records = [(record.levelno, record.getMessage()) for record in caplog.records
               if record.name == 'domain.jobs.worker']
    assert [level for level, _ in records] == [logging.WARNING, logging.INFO]  # five refusals, one warning
    assert 'cannot reach the database' in records[0][1] and 'again' in records[1][1]
    assert all(record.exc_info is None for record in caplog.records if record.name == 'domain.jobs.worker')


async def test_a_fault_that_is_not_the_database_being_away_is_logged_with_its_traceback_every_time(
        desk: Desk, caplog: pytest.LogCaptureFixture) -> None:
    calls = 0
    third = asyncio.Event()

    def broken(**_kwargs: object) -> AbstractAsyncContextManager[UnitOfWork]:
        nonlocal calls
        calls += 1
        if calls == 3:
            third.set()
        raise ValueError('a bug, not an outage')

    worker = Worker(broken, poll=0.02)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO, logger='domain.jobs.worker'):
        worker.start()
        await asyncio.wait_for(third.wait(), 10)
        await worker.stop()
    errors = [record for record in caplog.records if record.name == 'domain.jobs.worker']
    assert len(errors) >= 3 and all(r.levelno == logging.ERROR and r.exc_info for r in errors)
