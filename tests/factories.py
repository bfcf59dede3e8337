"""Builders for tests: unique names so tests on a shared database never collide."""

from __future__ import annotations

import uuid

from domain.desk import Desk
from domain.queues.service import WorkflowSummary
from storage.rows import UserRow

PASSWORD = 'correct horse'


def unique(prefix: str = 'u') -> str:
    return f'{prefix}{uuid.uuid4().hex[:8]}'


async def make_user(desk: Desk, *, role: str = 'customer', username: str | None = None) -> UserRow:
    return await desk.accounts.register(username=username or unique(), password=PASSWORD, repeat=PASSWORD, role=role)


async def make_request(desk: Desk, author: UserRow, *, title: str | None = None, description: str = '') -> int:
    return await desk.requests.create(actor_id=author.id, title=title or unique('Request '), description=description)


async def make_stored_workflow(desk: Desk, admin: UserRow, size: int) -> WorkflowSummary:
    """A workflow of `size` statuses written straight through storage, past any limit the service keeps now, as one
    saved before that limit would be."""
    async with desk.queues.uow(write=True) as uow:
        workflow_id = await uow.queue_admin.add_workflow(unique('Old flow '))
        for n in range(size):
            await uow.queue_admin.add_status(workflow_id, name=f'Step {n}', kind='open' if n == 0 else 'active')
        await uow.commit()
    return await desk.queues.workflow(actor_id=admin.id, workflow_id=workflow_id)


class Clock:
    """A monotonic clock the test moves on by hand, for services that take `clock=` (the sign-in throttle)."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
