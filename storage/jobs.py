"""The durable job queue: rows written with the change that caused them, claimed by workers.

A running job's `next_attempt_at` is its lease: a worker that dies mid-job leaves the row `running`,
and once the lease ends any worker may claim it again. On PostgreSQL the claim skips rows another
instance holds (FOR UPDATE SKIP LOCKED), so no job runs twice at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from .model_automation import Job
from .models import utcnow

JOB_STATUSES = ('pending', 'running', 'done', 'failed')


@dataclass(frozen=True)
class NewJob:
    kind: str
    payload: dict[str, Any]
    due_at: datetime | None = None
    dedup_key: str | None = None  # a second job with the same key is never queued
    max_attempts: int = 8


@dataclass(frozen=True)
class JobRow:
    id: int
    kind: str
    payload: dict[str, Any]
    status: str
    attempts: int
    max_attempts: int
    dedup_key: str | None
    due_at: datetime
    next_attempt_at: datetime
    finished_at: datetime | None
    last_error: str | None
    created_at: datetime


_COLUMNS = (Job.id, Job.kind, Job.payload, Job.status, Job.attempts, Job.max_attempts, Job.dedup_key, Job.due_at,
            Job.next_attempt_at, Job.finished_at, Job.last_error, Job.created_at)


class JobRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self.added = 0  # queued in this unit of work: the workers get woken after commit

    async def add(self, kind: str, payload: dict[str, Any], *, due_at: datetime | None = None,
                  dedup_key: str | None = None, max_attempts: int = 8) -> None:
        await self.add_many([NewJob(kind, payload, due_at, dedup_key, max_attempts)])

    async def add_many(self, jobs: Sequence[NewJob]) -> None:
        if not jobs:
            return
        now = utcnow()
        rows = [{'kind': job.kind, 'payload': job.payload, 'status': 'pending', 'attempts': 0,
                 'max_attempts': job.max_attempts, 'next_attempt_at': job.due_at or now, 'due_at': job.due_at or now,
                 'dedup_key': job.dedup_key, 'created_at': now, 'updated_at': now} for job in jobs]
        insert = pg_insert if self.connection.dialect.name == 'postgresql' else sqlite_insert
        await self.connection.execute(insert(Job).on_conflict_do_nothing(index_elements=['dedup_key']), rows)
        self.added += len(rows)

    async def claim(self, *, now: datetime, lease_until: datetime, limit: int) -> list[JobRow]:
        """Take up to `limit` due jobs (and running ones whose lease ended) and mark them running."""
        due = (select(Job.id).where(Job.status.in_(('pending', 'running')), Job.next_attempt_at <= now)
               .order_by(Job.next_attempt_at).limit(limit).with_for_update(skip_locked=True))
        rows = await self.connection.execute(
            update(Job).where(Job.id.in_(due.scalar_subquery()))
            .values(status='running', attempts=Job.attempts + 1, next_attempt_at=lease_until, updated_at=now)
            .returning(*_COLUMNS).execution_options(synchronize_session=False))
        return sorted((JobRow(*row) for row in rows), key=lambda job: job.next_attempt_at)

    async def finish(self, ids: Iterable[int]) -> None:
        now = utcnow()
        await self.connection.execute(
            update(Job).where(Job.id.in_(list(ids)), Job.status == 'running')
            .values(status='done', finished_at=now, updated_at=now, last_error=None)
            .execution_options(synchronize_session=False))

    async def retry(self, job_id: int, *, error: str, at: datetime) -> None:
        await self.connection.execute(
            update(Job).where(Job.id == job_id, Job.status == 'running')
            .values(status='pending', next_attempt_at=at, updated_at=utcnow(), last_error=error[:2000])
            .execution_options(synchronize_session=False))

    async def fail(self, job_id: int, *, error: str) -> None:
        now = utcnow()
        await self.connection.execute(
            update(Job).where(Job.id == job_id, Job.status == 'running')
            .values(status='failed', finished_at=now, updated_at=now, last_error=error[:2000])
            .execution_options(synchronize_session=False))

    async def requeue(self, job_id: int) -> bool:
        """A failed job gets a fresh set of attempts, due now."""
        now = utcnow()
        result = await self.connection.execute(
            update(Job).where(Job.id == job_id, Job.status == 'failed')
            .values(status='pending', attempts=0, next_attempt_at=now, finished_at=None, updated_at=now)
            .execution_options(synchronize_session=False))
        self.added += result.rowcount
        return bool(result.rowcount)

    async def get(self, job_id: int) -> JobRow | None:
        row = (await self.connection.execute(select(*_COLUMNS).where(Job.id == job_id))).first()
        return JobRow(*row) if row else None

    async def page(self, *, status: str | None, kind: str | None, search: str = '', before_id: int | None = None,
                   limit: int = 50) -> list[JobRow]:
        """Newest first; `before_id` continues after the last row of the previous page."""
        query = select(*_COLUMNS).order_by(Job.id.desc()).limit(limit)
        if status:
            query = query.where(Job.status == status)
        if kind:
            query = query.where(Job.kind == kind)
        if search:
            query = query.where(or_(Job.dedup_key.contains(search, autoescape=True),
                                    Job.last_error.contains(search, autoescape=True)))
        if before_id is not None:
            query = query.where(Job.id < before_id)
        return [JobRow(*row) for row in await self.connection.execute(query)]

    async def counts(self) -> dict[str, int]:
        rows = await self.connection.execute(select(Job.status, func.count()).group_by(Job.status))
        counts = dict.fromkeys(JOB_STATUSES, 0)
        counts.update({status: count for status, count in rows})
        return counts

    async def kinds(self) -> list[str]:
        return list(await self.connection.scalars(select(Job.kind).distinct().order_by(Job.kind)))
