"""Admin → Jobs: what the workers have pending, running, done and failed, and a retry for failed ones."""

from __future__ import annotations

from dataclasses import dataclass

from domain import access
from domain.errors import InvalidInput, NotFound
from domain.slices import Slice, bounded, sliced
from domain.text import storable
from storage.jobs import JOB_STATUSES, JobRow
from storage.unit_of_work import UnitOfWorkFactory

# What anyone else is told (translated like every domain message).
ADMINS_ONLY = 'Only admins see the jobs.'


@dataclass(frozen=True)
class JobsOverview:
    counts: dict[str, int]
    kinds: list[str]


class JobService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow

    async def overview(self, *, actor_id: int | None) -> JobsOverview:
        async with self.uow() as uow:
            await access.require_admin(uow, actor_id, ADMINS_ONLY)
            return JobsOverview(await uow.jobs.counts(), await uow.jobs.kinds())

    async def list(self, *, actor_id: int | None, status: str | None = None, kind: str | None = None,
                   search: str = '', before_id: int | None = None, limit: int = 50) -> Slice[JobRow]:
        if status and status not in JOB_STATUSES:
            raise InvalidInput('Unknown job status: {status}.', field='status', status=status)
        limit = bounded(limit)
        async with self.uow() as uow:
            await access.require_admin(uow, actor_id, ADMINS_ONLY)
            rows = await uow.jobs.page(status=status or None, kind=storable(kind or '')[:32] or None,
                                       search=storable(search).strip()[:100], before_id=before_id, limit=limit + 1)
        return sliced(rows, limit)

    async def retry(self, *, actor_id: int | None, job_id: int) -> None:
        """Queue a failed job again with a fresh set of attempts."""
        async with self.uow(write=True) as uow:
            admin = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            job = await uow.jobs.get(job_id)
            if job is None:
                raise NotFound('No such job.')
            if not await uow.jobs.requeue(job_id):
                raise InvalidInput('Only a failed job can be retried; this one is {status}.', status=job.status)
            uow.events.add('job.retried', actor_id=admin.id, job_id=job_id, job_kind=job.kind)
            await uow.commit()

