"""What the notification tests do often: opt in, change a status, move the worker's clock on."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.desk import Desk
from storage.jobs import JobRow
from storage.models import utcnow
from storage.rows import UserRow


class Clock:
    """The worker's time: now, plus however far the test has moved it on (jobs are stamped with the real now)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


def address(user: UserRow) -> str:
    return f'{user.username}@example.com'


async def opt_in(desk: Desk, user: UserRow, *events: str) -> None:
    await desk.preferences.set_notifications(actor_id=user.id, email=address(user),
                                             events=events or ('status.changed',))


async def next_status(desk: Desk, actor: UserRow, request_id: int) -> str:
    """Move the request on to its first allowed next status; returns that status's name."""
    view = await desk.requests.open(viewer_id=actor.id, request_id=request_id)
    target = view.next_statuses[0]
    await desk.requests.change_status(actor_id=actor.id, request_id=request_id, status_id=target.id)
    return target.name


async def jobs(desk: Desk, kind: str) -> list[JobRow]:
    async with desk.worker.uow() as uow:
        return await uow.jobs.page(status=None, kind=kind, limit=500)
