"""Loading what a service acts on, with the checks every service repeats: signed in, may read."""

from __future__ import annotations

from domain import permissions
from domain.errors import NotFound, NotSignedIn, PermissionDenied
from domain.queues.workflow import Workflow
from storage.rows import QueueRow, RequestRecord, UserRow
from storage.unit_of_work import UnitOfWork

BOARD = 'Board'


async def signed_in(uow: UnitOfWork, actor_id: int | None) -> UserRow:
    actor = await uow.users.get(actor_id) if actor_id else None
    if actor is None or not actor.is_active:
        raise NotSignedIn('Your session has ended. Sign in again to continue.')
    return actor


async def require_staff(uow: UnitOfWork, actor_id: int | None, refusal: str) -> UserRow:
    """The signed-in actor, if staff; `refusal` tells anyone else what only staff may do here."""
    actor = await signed_in(uow, actor_id)
    if not permissions.is_staff(actor):
        raise PermissionDenied(refusal)
    return actor


async def require_admin(uow: UnitOfWork, actor_id: int | None, refusal: str) -> UserRow:
    """The signed-in actor, if an admin; `refusal` tells anyone else (staff included) what only admins may do."""
    actor = await signed_in(uow, actor_id)
    if not permissions.is_admin(actor):
        raise PermissionDenied(refusal)
    return actor


async def viewer(uow: UnitOfWork, viewer_id: int | None) -> UserRow | None:
    return await uow.users.get(viewer_id) if viewer_id else None


async def readable_request(uow: UnitOfWork, user: UserRow | None, request_id: int, *,
                           with_thread: bool = False) -> RequestRecord:
    """The request if the user may read it; `with_thread`: with its thread with staff (RequestRecord.thread_id)."""
    return readable(user, await uow.requests.record(request_id, with_thread=with_thread))


def readable(user: UserRow | None, record: RequestRecord | None) -> RequestRecord:
    """The request, if the user may read it."""
    # A request someone may not read looks exactly like a missing one, so ids cannot be probed.
    if record is None or not permissions.can_read(user, record):
        raise NotFound('This request does not exist.')
    return record


async def board(uow: UnitOfWork) -> QueueRow:
    queue = await uow.workflows.queue_by_name(BOARD)
    if queue is None:
        raise NotFound('The request board is missing: the database was not migrated.')
    return queue


async def workflow(uow: UnitOfWork, workflow_id: int) -> Workflow:
    statuses = await uow.workflows.statuses(workflow_id)
    transitions = await uow.workflows.transitions(workflow_id)
    return Workflow(tuple(statuses), frozenset(transitions))
