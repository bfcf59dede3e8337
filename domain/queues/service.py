"""Admin → Queues: queues and their workflows, edited at run time; staff may look, admins may change."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain import access, permissions
from domain.errors import Conflict, ConstraintConflict, InvalidInput, NotFound
from domain.events import RequestChanged
from domain.queues.checks import (
    KINDS,
    VISIBILITIES,
    check_status_count,
    check_unique_queue,
    check_unique_statuses,
    check_visibility,
    checked_kind,
    checked_name,
    queue_exists,
    status_exists,
    workflow_exists,
)
from storage.queue_admin import QueueSummary, WorkflowSummary
from storage.rows import StatusRow, UserRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

__all__ = ['KINDS', 'VISIBILITIES', 'QueueAdminService', 'QueueAdminView', 'QueueSummary', 'StatusRow',
           'WorkflowSummary']

# Other services find these queues by name, and their visibility is what they promise their users.
BUILT_IN_QUEUES = (access.BOARD, 'Support', permissions.ORDERS)
# Each RequestChanged makes every open list re-read itself; past this many moved requests none is published,
# and open pages show the move when next loaded.
LIVE_MOVE_LIMIT = 500

# What anyone else is told (translated like every domain message).
STAFF_ONLY = 'Only staff can see queues and workflows.'
ADMINS_ONLY = 'Only admins can change queues and workflows.'


@dataclass(frozen=True)
class QueueAdminView:
    queues: list[QueueSummary]
    workflows: list[WorkflowSummary]
    editable: bool  # the viewer is an admin; agents see the same, read-only


class QueueAdminService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow

    async def overview(self, *, actor_id: int | None) -> QueueAdminView:
        async with self.uow() as uow:
            actor = await access.require_staff(uow, actor_id, STAFF_ONLY)
            return QueueAdminView(await uow.queue_admin.queues(), await uow.queue_admin.workflows(),
                                  editable=permissions.is_admin(actor))

    async def list_queues(self, *, actor_id: int | None) -> list[QueueSummary]:
        async with self.uow() as uow:
            await access.require_staff(uow, actor_id, STAFF_ONLY)
            return await uow.queue_admin.queues()

    async def list_workflows(self, *, actor_id: int | None) -> list[WorkflowSummary]:
        async with self.uow() as uow:
            await access.require_staff(uow, actor_id, STAFF_ONLY)
            return await uow.queue_admin.workflows()

    async def workflow(self, *, actor_id: int | None, workflow_id: int) -> WorkflowSummary:
        async with self.uow() as uow:
            await access.require_staff(uow, actor_id, STAFF_ONLY)
            return await _workflow(uow, workflow_id)

    async def create_queue(self, *, actor_id: int | None, name: str, visibility: str, workflow_id: int) -> int:
        name = checked_name(name)
        check_visibility(visibility)
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            workflow = await _workflow(uow, workflow_id, field='workflow')
            check_unique_queue(await uow.queue_admin.queues(), name)
            try:
                queue_id = await uow.queue_admin.add_queue(name=name, visibility=visibility, workflow_id=workflow.id)
            except ConstraintConflict:  # created by another admin a moment ago
                raise queue_exists(name) from None
            uow.events.add('queue.created', actor_id=actor.id, queue_id=queue_id, name=name, visibility=visibility,
                           workflow=workflow.name)
            await uow.commit()
        return queue_id

    async def update_queue(self, *, actor_id: int | None, queue_id: int, name: str, visibility: str,
                           workflow_id: int) -> None:
        name = checked_name(name)
        check_visibility(visibility)
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            queue = await uow.queue_admin.queue(queue_id)
            if queue is None:
                raise NotFound('This queue does not exist.')
            workflow = await _workflow(uow, workflow_id, field='workflow')
            if queue.name in BUILT_IN_QUEUES and (name, visibility) != (queue.name, queue.visibility):
                raise InvalidInput('"{name}" is built in: its name and visibility stay.',
                                   field='name' if name != queue.name else 'visibility', name=queue.name)
            check_unique_queue(await uow.queue_admin.queues(), name, queue_id)
            # Requests keep status ids of their queue's workflow: swapping it under them would strand them.
            if workflow.id != queue.workflow_id and await uow.queue_admin.queue_has_requests(queue_id):
                raise Conflict('This queue has requests, so its workflow cannot change.', field='workflow')
            try:
                await uow.queue_admin.update_queue(queue_id, name=name, visibility=visibility, workflow_id=workflow.id)
            except ConstraintConflict:
                raise queue_exists(name) from None
            uow.events.add('queue.updated', actor_id=actor.id, queue_id=queue_id, name=name, visibility=visibility,
                           workflow=workflow.name, was={'name': queue.name, 'visibility': queue.visibility,
                                                        'workflow': queue.workflow})
            await uow.commit()

    async def create_workflow(self, *, actor_id: int | None, name: str, statuses: Sequence[tuple[str, str]]) -> int:
        """A new workflow with its first statuses (name, kind), in order; transitions are set afterwards."""
        name = checked_name(name)
        check_status_count(len(statuses))  # before reading each one
        checked = [(checked_name(status, field='status'), checked_kind(kind)) for status, kind in statuses]
        if not checked:
            raise InvalidInput('A workflow keeps at least one status.', field='status')
        check_unique_statuses([status for status, _kind in checked])
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            if any(w.name.casefold() == name.casefold() for w in await uow.queue_admin.workflows()):
                raise workflow_exists(name)
            try:
                workflow_id = await uow.queue_admin.add_workflow(name)
            except ConstraintConflict:
                raise workflow_exists(name) from None
            for status, kind in checked:
                await uow.queue_admin.add_status(workflow_id, name=status, kind=kind)
            uow.events.add('workflow.created', actor_id=actor.id, workflow_id=workflow_id, name=name,
                           statuses=[{'name': status, 'kind': kind} for status, kind in checked])
            await uow.commit()
        return workflow_id

    async def add_status(self, *, actor_id: int | None, workflow_id: int, name: str, kind: str) -> int:
        """Append a status at the end of the workflow."""
        name, kind = checked_name(name), checked_kind(kind)
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            workflow = await _workflow(uow, workflow_id)
            # Two admins adding at once may pass this together and end one over: the cap guards size, not a count.
            check_status_count(len(workflow.statuses) + 1, field='name')
            check_unique_statuses([s.name for s in workflow.statuses], name)
            try:
                status_id = await uow.queue_admin.add_status(workflow.id, name=name, kind=kind)
            except ConstraintConflict:
                raise status_exists(name) from None
            uow.events.add('status.added', actor_id=actor.id, workflow_id=workflow.id, status_id=status_id,
                           name=name, status_kind=kind)  # `kind` is the event's own
            await uow.commit()
        return status_id

    async def rename_status(self, *, actor_id: int | None, status_id: int, name: str) -> None:
        name = checked_name(name)
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            workflow, status = await _status(uow, status_id)
            check_unique_statuses([s.name for s in workflow.statuses if s.id != status_id], name)
            try:
                await uow.queue_admin.rename_status(status_id, name)
            except ConstraintConflict:
                raise status_exists(name) from None
            uow.events.add('status.renamed', actor_id=actor.id, workflow_id=workflow.id, status_id=status_id,
                           name=name, was=status.name)
            await uow.commit()

    async def reorder_statuses(self, *, actor_id: int | None, workflow_id: int, status_ids: Sequence[int]) -> None:
        """Put the workflow's statuses in this order; the first one is where new requests start."""
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            workflow = await _workflow(uow, workflow_id)
            if sorted(status_ids) != sorted(s.id for s in workflow.statuses):
                raise Conflict('The statuses changed meanwhile; look again and retry.', field='status')
            await uow.queue_admin.set_positions(status_ids)
            names = {s.id: s.name for s in workflow.statuses}
            uow.events.add('statuses.reordered', actor_id=actor.id, workflow_id=workflow.id,
                           order=[names[status_id] for status_id in status_ids])
            await uow.commit()

    async def set_transitions(self, *, actor_id: int | None, workflow_id: int,
                              transitions: Iterable[tuple[int, int]]) -> None:
        """Replace the workflow's allowed transitions (from status id, to status id)."""
        pairs = {(int(source), int(target)) for source, target in transitions}
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            workflow = await _workflow(uow, workflow_id)
            names = {s.id: s.name for s in workflow.statuses}
            for source, target in pairs:
                if source not in names or target not in names:
                    raise InvalidInput('A transition joins two statuses of the same workflow.', field='transitions')
                if source == target:
                    raise InvalidInput('A status cannot lead to itself.', field='transitions')
            await uow.queue_admin.set_transitions(workflow.id, pairs)
            uow.events.add('transitions.set', actor_id=actor.id, workflow_id=workflow.id,
                           transitions=sorted([names[source], names[target]] for source, target in pairs))
            await uow.commit()

    async def delete_status(self, *, actor_id: int | None, status_id: int,
                            move_to_status_id: int | None = None) -> int:
        """Delete a status; its requests move to `move_to_status_id` first, in the same transaction.

        Returns how many requests moved. Without a target, a status in use is refused with its count.
        """
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            workflow, status = await _status(uow, status_id)
            if len(workflow.statuses) == 1:
                raise InvalidInput('A workflow keeps at least one status.', field='status')
            count = await uow.queue_admin.count_in_status(workflow.id, status_id)
            target = None
            if count and move_to_status_id is None:
                raise Conflict('This status is used by {count} requests; move them first.', field='status',
                               count=count)
            if count:
                target = _move_target(workflow, status_id, move_to_status_id)
                await self._move(uow, actor, workflow, status, target)
            try:
                await uow.queue_admin.delete_status(status_id)
            except ConstraintConflict:  # a request entered the status while we moved the others
                raise Conflict('Requests entered this status meanwhile; try again.', field='status') from None
            uow.events.add('status.deleted', actor_id=actor.id, workflow_id=workflow.id, status_id=status_id,
                           name=status.name, moved=count, moved_to=target.name if target else None)
            await uow.commit()
        return count

    @staticmethod
    async def _move(uow: UnitOfWork, actor: UserRow, workflow: WorkflowSummary, status: StatusRow,
                    target: StatusRow) -> None:
        # Each moved request gets its own timeline entry, shaped like a manual status change.
        await uow.queue_admin.record_moves(workflow.id, status.id, actor_id=actor.id,
                                           data={'from': status.name, 'to': target.name, 'reason': 'status.deleted'})
        moved = await uow.queue_admin.ids_in_status(workflow.id, status.id, limit=LIVE_MOVE_LIMIT + 1)
        try:
            await uow.queue_admin.move_requests(workflow.id, status.id, target.id, closed=target.kind == 'closed')
        except ConstraintConflict:
            raise Conflict('Moving these requests would give an author two open requests in a queue that allows '
                           'one; close or move some of them first.', field='move_to') from None
        if len(moved) <= LIVE_MOVE_LIMIT:
            for request_id in moved:
                uow.emit(RequestChanged(request_id, None))


async def _workflow(uow: UnitOfWork, workflow_id: int, *, field: str | None = None) -> WorkflowSummary:
    workflow = await uow.queue_admin.workflow(workflow_id)
    if workflow is None:
        raise NotFound('This workflow does not exist.', field=field)
    return workflow


async def _status(uow: UnitOfWork, status_id: int) -> tuple[WorkflowSummary, StatusRow]:
    workflow_id = await uow.queue_admin.workflow_of_status(status_id)
    workflow = await uow.queue_admin.workflow(workflow_id) if workflow_id is not None else None
    status = next((s for s in workflow.statuses if s.id == status_id), None) if workflow else None
    if workflow is None or status is None:
        raise NotFound('This status does not exist in the workflow.', field='status')
    return workflow, status


def _move_target(workflow: WorkflowSummary, status_id: int, move_to_status_id: int | None) -> StatusRow:
    if move_to_status_id == status_id:
        raise InvalidInput('Move the requests to another status.', field='move_to')
    for status in workflow.statuses:
        if status.id == move_to_status_id:
            return status
    raise InvalidInput('Move the requests to a status of the same workflow.', field='move_to')
