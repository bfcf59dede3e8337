"""/api/v1/queues, /workflows, /statuses: staff read them; admins change them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from . import pagination
from .deps import DEFAULT_LIMIT, CurrentUser, Cursor, DeskDep, IdPath, Limit
from .documented import NO_STATUS, NO_WORKFLOW, QUEUE_ADMINS, QUEUE_STAFF, errors
from .errors import COMMON, ApiRoute
from .schemas import MAX_ID, Page
from .schemas_admin import (
    MovedOut,
    QueueIn,
    QueueOut,
    StatusIn,
    StatusOrderIn,
    StatusRenameIn,
    TransitionsIn,
    WorkflowIn,
    WorkflowOut,
)

router = APIRouter(tags=['queues'], route_class=ApiRoute, responses=COMMON)


@router.get('/queues', summary='List the queues', responses=errors(QUEUE_STAFF))
async def list_queues(user: CurrentUser, desk: DeskDep, cursor: Cursor = None,
                      limit: Limit = DEFAULT_LIMIT) -> Page[QueueOut]:
    """Every queue, by name (staff)."""
    page, next_cursor = pagination.offset_page(await desk.queues.list_queues(actor_id=user.id), cursor, limit)
    return Page(items=[QueueOut.model_validate(queue) for queue in page], next_cursor=next_cursor)


@router.post('/queues', status_code=201, summary='Create a queue', responses=errors(
    QUEUE_ADMINS | {404: ('This workflow does not exist.', 'workflow'),
                    409: ('A queue named "IT" exists already.', 'name')}))
async def create_queue(body: QueueIn, user: CurrentUser, desk: DeskDep) -> QueueOut:
    """A new queue on an existing workflow (admins)."""
    queue_id = await desk.queues.create_queue(actor_id=user.id, name=body.name, visibility=body.visibility,
                                              workflow_id=body.workflow_id)
    return await _queue(desk, user.id, queue_id)


@router.put('/queues/{queue_id}', summary='Change a queue', responses=errors(
    QUEUE_ADMINS | {404: 'This queue does not exist.', 409: ('This queue has requests, so its workflow cannot change.',
                                                              'workflow'),
                    422: ('"Support" is built in: its name and visibility stay.', 'name')}))
async def update_queue(queue_id: IdPath, body: QueueIn, user: CurrentUser, desk: DeskDep) -> QueueOut:
    """Rename a queue, change its visibility, or its workflow while it has no requests (admins)."""
    await desk.queues.update_queue(actor_id=user.id, queue_id=queue_id, name=body.name, visibility=body.visibility,
                                   workflow_id=body.workflow_id)
    return await _queue(desk, user.id, queue_id)


@router.get('/workflows', summary='List the workflows', responses=errors(QUEUE_STAFF))
async def list_workflows(user: CurrentUser, desk: DeskDep, cursor: Cursor = None,
                         limit: Limit = DEFAULT_LIMIT) -> Page[WorkflowOut]:
    """Every workflow with its statuses and transitions (staff)."""
    page, next_cursor = pagination.offset_page(await desk.queues.list_workflows(actor_id=user.id), cursor, limit)
    return Page(items=[WorkflowOut.of(workflow) for workflow in page], next_cursor=next_cursor)


@router.post('/workflows', status_code=201, summary='Create a workflow', responses=errors(
    QUEUE_ADMINS | {409: ('A workflow named "Hardware" exists already.', 'name'),
                    422: ('Choose open, active or closed.', 'kind')}))
async def create_workflow(body: WorkflowIn, user: CurrentUser, desk: DeskDep) -> WorkflowOut:
    """A new workflow with its statuses in order; set its transitions next (admins)."""
    workflow_id = await desk.queues.create_workflow(actor_id=user.id, name=body.name,
                                                    statuses=[(s.name, s.kind) for s in body.statuses])
    return WorkflowOut.of(await desk.queues.workflow(actor_id=user.id, workflow_id=workflow_id))


@router.get('/workflows/{workflow_id}', summary='Read a workflow', responses=errors(QUEUE_STAFF | NO_WORKFLOW))
async def get_workflow(workflow_id: IdPath, user: CurrentUser, desk: DeskDep) -> WorkflowOut:
    """One workflow (staff)."""
    return WorkflowOut.of(await desk.queues.workflow(actor_id=user.id, workflow_id=workflow_id))


@router.post('/workflows/{workflow_id}/statuses', status_code=201, summary='Add a status to a workflow',
             responses=errors(QUEUE_ADMINS | NO_WORKFLOW
                              | {409: ('This workflow has a status named "Waiting" already.', 'name')}))
async def add_status(workflow_id: IdPath, body: StatusIn, user: CurrentUser, desk: DeskDep) -> WorkflowOut:
    """Append a status to the workflow (admins)."""
    await desk.queues.add_status(actor_id=user.id, workflow_id=workflow_id, name=body.name, kind=body.kind)
    return WorkflowOut.of(await desk.queues.workflow(actor_id=user.id, workflow_id=workflow_id))


@router.put('/workflows/{workflow_id}/order', summary="Order a workflow's statuses", responses=errors(
    QUEUE_ADMINS | NO_WORKFLOW | {409: ('The statuses changed meanwhile; look again and retry.', 'status')}))
async def reorder_statuses(workflow_id: IdPath, body: StatusOrderIn, user: CurrentUser,
                           desk: DeskDep) -> WorkflowOut:
    """Put every status of the workflow in this order; new requests start in the first (admins)."""
    await desk.queues.reorder_statuses(actor_id=user.id, workflow_id=workflow_id, status_ids=body.status_ids)
    return WorkflowOut.of(await desk.queues.workflow(actor_id=user.id, workflow_id=workflow_id))


@router.put('/workflows/{workflow_id}/transitions', summary="Set a workflow's transitions", responses=errors(
    QUEUE_ADMINS | NO_WORKFLOW | {422: ('A status cannot lead to itself.', 'transitions')}))
async def set_transitions(workflow_id: IdPath, body: TransitionsIn, user: CurrentUser,
                          desk: DeskDep) -> WorkflowOut:
    """Replace the moves the workflow allows (admins)."""
    pairs = [(t.from_status_id, t.to_status_id) for t in body.transitions]
    await desk.queues.set_transitions(actor_id=user.id, workflow_id=workflow_id, transitions=pairs)
    return WorkflowOut.of(await desk.queues.workflow(actor_id=user.id, workflow_id=workflow_id))


@router.patch('/statuses/{status_id}', status_code=204, response_class=Response, summary='Rename a status',
              responses=errors(QUEUE_ADMINS | NO_STATUS
                               | {409: ('This workflow has a status named "Waiting" already.', 'name')}))
async def rename_status(status_id: IdPath, body: StatusRenameIn, user: CurrentUser, desk: DeskDep) -> None:
    """Rename a status (admins)."""
    await desk.queues.rename_status(actor_id=user.id, status_id=status_id, name=body.name)


@router.delete('/statuses/{status_id}', summary='Delete a status', responses=errors(
    QUEUE_ADMINS | NO_STATUS | {409: ('This status is used by 3 requests; move them first.', 'status'),
                                422: ('Move the requests to another status.', 'move_to')}))
async def delete_status(status_id: IdPath, user: CurrentUser, desk: DeskDep,
                        move_to: Annotated[int | None, Query(ge=1, le=MAX_ID, description='Where its requests '
                                                             'go first; needed while any are in it')] = None,
                        ) -> MovedOut:
    """Delete a status, moving its requests to another one of the workflow first (admins)."""
    moved = await desk.queues.delete_status(actor_id=user.id, status_id=status_id, move_to_status_id=move_to)
    return MovedOut(moved=moved)


async def _queue(desk: DeskDep, actor_id: int, queue_id: int) -> QueueOut:
    queues = await desk.queues.list_queues(actor_id=actor_id)
    return QueueOut.model_validate(next(queue for queue in queues if queue.id == queue_id))
