"""The job worker: runs inside the app process, claims due jobs in batches and runs each kind's handler.

A handler that raises is retried with exponential backoff and full jitter until the job's attempts run
out; `PermanentError` fails it at once. Handlers run outside any transaction: one that writes opens its
own unit of work and makes its effect idempotent (the job may run again if this process dies after the
effect and before the job is marked done).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from storage.database import connection_lost
from storage.jobs import JobRow
from storage.models import utcnow
from storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

Handler = Callable[[JobRow], Awaitable[None]]


class PermanentError(Exception):
    """The job can never succeed (bad payload, a recipient that does not exist): fail it without retrying."""


def backoff(attempts: int, *, base: float = 2.0, cap: float = 600.0, rng: random.Random | None = None) -> float:
    """Seconds before the next attempt: up to base·2^(attempts-1), capped, drawn uniformly (full jitter)."""
    ceiling = min(cap, base * 2 ** max(0, attempts - 1))
    return (rng or random).uniform(ceiling / 2, ceiling)


class Worker:
    def __init__(self, uow: UnitOfWorkFactory, *, batch: int = 50, concurrency: int = 50, poll: float = 1.0,
                 lease: float = 120.0, base_delay: float = 2.0, max_delay: float = 600.0,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.uow = uow
        self.batch = batch
        self.poll = poll  # how often an idle worker looks anyway (timed jobs, other instances without NOTIFY)
        self.lease = lease
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.clock = clock
        self._handlers: dict[str, Handler] = {}
        self._slots = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.processed = 0
        self._away = False  # the last claim failed for want of the database
        self._in_flight = 0  # batches claimed and not yet finished, by any caller of run_due
        self._settled = asyncio.Event()
        self._settled.set()

    def handle(self, kind: str, handler: Handler) -> None:
        self._handlers[kind] = handler

    @property
    def kinds(self) -> list[str]:
        return sorted(self._handlers)

    def wake(self, _event: object = None) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name='job-worker')

    async def stop(self, *, grace: float = 5.0) -> None:
        """Let the batch under way finish (a cancelled database call can leave its connection unclosed)."""
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task, self._stopping = None, False

    async def run_due(self) -> int:
        """Claim and run one batch of due jobs; returns how many ran (0: nothing due)."""
        self._in_flight += 1
        self._settled.clear()
        try:
            return await self._run_batch()
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._settled.set()

    async def _run_batch(self) -> int:
        now = self.clock()
        async with self.uow(write=True) as uow:
            jobs = await uow.jobs.claim(now=now, lease_until=now + timedelta(seconds=self.lease), limit=self.batch)
            await uow.commit()
        if not jobs:
            return 0
        outcomes = await asyncio.gather(*(self._run_one(job) for job in jobs))
        done = [job.id for job, ok in zip(jobs, outcomes, strict=True) if ok]
        if done:
            async with self.uow(write=True) as uow:
                await uow.jobs.finish(done)
                await uow.commit()
        self.processed += len(done)
        return len(jobs)

    async def drain(self) -> None:
        """Run batches until nothing is due and no batch is running here, the background loop's included (tests)."""
        while True:
            while await self.run_due():
                pass
            if self._in_flight == 0:
                return
            await self._settled.wait()  # what the loop is running may queue more

    async def _run(self) -> None:
        while not self._stopping:
            try:
                ran = await self.run_due()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # look again later
                self._note_failure(error)
                ran = 0
            else:
                self._note_reached()
            if ran:
                continue  # more may be due right away
            if self._stopping:
                return
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll)

    def _note_failure(self, error: Exception) -> None:
        """A database restart is one warning, not a traceback every poll; anything else is an error each time."""
        if not connection_lost(error):
            log.exception('job worker could not claim jobs')
        elif not self._away:
            self._away = True
            reason = (str(error).splitlines() or [type(error).__name__])[0]  # not the statement it interrupted
            log.warning('job worker cannot reach the database (%s); retrying every %g s', reason, self.poll)

    def _note_reached(self) -> None:
        if self._away:
            self._away = False
            log.info('job worker reaches the database again')

    async def _run_one(self, job: JobRow) -> bool:
        handler = self._handlers.get(job.kind)
        try:
            if handler is None:
                raise PermanentError(f'no handler for job kind {job.kind!r}')
            if job.attempts > job.max_attempts:  # its worker died on the last attempt
                raise PermanentError(job.last_error or 'attempts exhausted')
            async with self._slots:
                await handler(job)
            return True
        except asyncio.CancelledError:
            raise
        except Exception as error:  # any failure of one job must not stop the others
            await self._record_failure(job, error)
            return False

    async def _record_failure(self, job: JobRow, error: Exception) -> None:
        message = f'{type(error).__name__}: {error}'
        permanent = isinstance(error, PermanentError) or job.attempts >= job.max_attempts
        log.warning('job %s (%s) attempt %s failed%s: %s', job.id, job.kind, job.attempts,
                    '; giving up' if permanent else '', message)
        async with self.uow(write=True) as uow:
            if permanent:
                await uow.jobs.fail(job.id, error=message)
            else:
                delay = backoff(job.attempts, base=self.base_delay, cap=self.max_delay)
                await uow.jobs.retry(job.id, error=message, at=self.clock() + timedelta(seconds=delay))
            await uow.commit()
