"""Queues and workflows as admins edit them: lists, changes, and moving requests off a status."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Select, String, case, delete, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .constraints import refused_as_conflict
from .models import Event, Queue, Request, Workflow, WorkflowStatus, WorkflowTransition, utcnow
from .rows import StatusRow

MAX_ROWS = 500  # queues and workflows are configuration: a few dozen; the cap keeps every list bounded


@dataclass(frozen=True)
class QueueSummary:
    id: int
    name: str
    visibility: str
    workflow_id: int
    workflow: str
    one_open_per_author: bool


@dataclass(frozen=True)
class WorkflowSummary:
    id: int
    name: str
    statuses: tuple[StatusRow, ...]  # in workflow order
    transitions: frozenset[tuple[int, int]]


class QueueAdminRepository:
    def __init__(self, connection: AsyncConnection, *, on_change: Callable[[], None] = lambda: None) -> None:
        self.connection = connection
        self._changing = on_change  # called before any write: queues and workflows are cached (storage.catalog)

    async def queues(self) -> list[QueueSummary]:
        rows = await self.connection.execute(_queue_query().order_by(Queue.name).limit(MAX_ROWS))
        return [QueueSummary(*row) for row in rows]

    async def queue(self, queue_id: int) -> QueueSummary | None:
        row = (await self.connection.execute(_queue_query().where(Queue.id == queue_id))).one_or_none()
        return QueueSummary(*row) if row else None

    async def workflows(self) -> list[WorkflowSummary]:
        found = (await self.connection.execute(select(Workflow.id, Workflow.name).order_by(Workflow.name)
                                            .limit(MAX_ROWS))).all()
        return await self._with_statuses(found)

    async def workflow(self, workflow_id: int) -> WorkflowSummary | None:
        found = (await self.connection.execute(select(Workflow.id, Workflow.name)
                                            .where(Workflow.id == workflow_id))).all()
        summaries = await self._with_statuses(found)
        return summaries[0] if summaries else None

    async def workflow_of_status(self, status_id: int) -> int | None:
        return await self.connection.scalar(select(WorkflowStatus.workflow_id).where(WorkflowStatus.id == status_id))

    async def _with_statuses(self, found: Sequence[Any]) -> list[WorkflowSummary]:
        ids = [workflow_id for workflow_id, _name in found]
        if not ids:
            return []
        statuses: dict[int, list[StatusRow]] = {workflow_id: [] for workflow_id in ids}
        for workflow_id, *status in await self.connection.execute(
                select(WorkflowStatus.workflow_id, WorkflowStatus.id, WorkflowStatus.name, WorkflowStatus.kind,
                       WorkflowStatus.position)
                .where(WorkflowStatus.workflow_id.in_(ids)).order_by(WorkflowStatus.position, WorkflowStatus.id)):
            statuses[workflow_id].append(StatusRow(*status))
        transitions: dict[int, set[tuple[int, int]]] = {workflow_id: set() for workflow_id in ids}
        for workflow_id, source, target in await self.connection.execute(
                select(WorkflowTransition.workflow_id, WorkflowTransition.from_status_id,
                       WorkflowTransition.to_status_id).where(WorkflowTransition.workflow_id.in_(ids))):
            transitions[workflow_id].add((source, target))
        return [WorkflowSummary(workflow_id, name, tuple(statuses[workflow_id]), frozenset(transitions[workflow_id]))
                for workflow_id, name in found]

    @refused_as_conflict
    async def add_queue(self, *, name: str, visibility: str, workflow_id: int) -> int:
        self._changing()
        return (await self.connection.execute(insert(Queue.__table__).values(
            name=name, visibility=visibility, workflow_id=workflow_id, fields=[]).returning(Queue.__table__.c.id))
        ).scalar_one()

    @refused_as_conflict
    async def update_queue(self, queue_id: int, *, name: str, visibility: str, workflow_id: int) -> None:
        self._changing()
        await self.connection.execute(update(Queue).where(Queue.id == queue_id)
                                   .values(name=name, visibility=visibility, workflow_id=workflow_id))

    async def queue_has_requests(self, queue_id: int) -> bool:
        return await self.connection.scalar(select(Request.id).where(Request.queue_id == queue_id).limit(1)) is not None

    @refused_as_conflict
    async def add_workflow(self, name: str) -> int:
        self._changing()
        return (await self.connection.execute(insert(Workflow.__table__).values(name=name)
                                              .returning(Workflow.__table__.c.id))).scalar_one()

    @refused_as_conflict
    async def add_status(self, workflow_id: int, *, name: str, kind: str) -> int:
        """Append a status at the end of the workflow."""
        self._changing()
        last = await self.connection.scalar(select(func.max(WorkflowStatus.position))
                                         .where(WorkflowStatus.workflow_id == workflow_id))
        return (await self.connection.execute(insert(WorkflowStatus.__table__).values(
            workflow_id=workflow_id, name=name, kind=kind, position=0 if last is None else last + 1)
            .returning(WorkflowStatus.__table__.c.id))).scalar_one()

    @refused_as_conflict
    async def rename_status(self, status_id: int, name: str) -> None:
        self._changing()
        await self.connection.execute(update(WorkflowStatus).where(WorkflowStatus.id == status_id).values(name=name))

    async def set_positions(self, ordered_ids: Sequence[int]) -> None:
        self._changing()
        for position, status_id in enumerate(ordered_ids):
            await self.connection.execute(update(WorkflowStatus).where(WorkflowStatus.id == status_id)
                                       .values(position=position))

    async def set_transitions(self, workflow_id: int, pairs: Iterable[tuple[int, int]]) -> None:
        """Replace the workflow's transitions with `pairs`."""
        self._changing()
        await self.connection.execute(delete(WorkflowTransition).where(WorkflowTransition.workflow_id == workflow_id))
        rows = [{'workflow_id': workflow_id, 'from_status_id': source, 'to_status_id': target}
                for source, target in sorted(set(pairs))]
        if rows:
            await self.connection.execute(insert(WorkflowTransition), rows)

    async def count_in_status(self, workflow_id: int, status_id: int) -> int:
        query = select(func.count()).select_from(Request).where(*_in_status(workflow_id, status_id))
        return await self.connection.scalar(query) or 0

    async def ids_in_status(self, workflow_id: int, status_id: int, *, limit: int) -> list[int]:
        query = select(Request.id).where(*_in_status(workflow_id, status_id)).order_by(Request.id).limit(limit)
        return list((await self.connection.scalars(query)).all())

    async def record_moves(self, workflow_id: int, status_id: int, *, actor_id: int, data: dict[str, Any]) -> None:
        """One 'status.changed' event per request in the status, written by the database in one statement."""
        rows = select(literal('status.changed', String), literal(actor_id), Request.id, literal('web', String),
                      literal(data, JSON), literal(utcnow(), Event.created_at.type)) \
            .where(*_in_status(workflow_id, status_id))
        columns = [Event.kind, Event.actor_id, Event.request_id, Event.channel, Event.data, Event.created_at]
        await self.connection.execute(insert(Event).from_select(columns, rows))

    @refused_as_conflict
    async def move_requests(self, workflow_id: int, status_id: int, target_id: int, *, closed: bool) -> None:
        """Move every request of a status to `target_id`; closed_at and open_key follow the target's kind.

        In a queue with one open request per author, a second open one raises ConstraintConflict.
        """
        now = utcnow()
        if closed:
            closing: dict[str, Any] = {'closed_at': case((Request.closed_at.is_(None), now), else_=Request.closed_at),
                                       'open_key': None}
        else:
            one_open = select(Queue.one_open_per_author).where(Queue.id == Request.queue_id).scalar_subquery()
            closing = {'closed_at': None, 'open_key': case((one_open, Request.author_id), else_=None)}
        await self.connection.execute(update(Request).where(*_in_status(workflow_id, status_id))
                                   .values(status_id=target_id, updated_at=now, **closing)
                                   .execution_options(synchronize_session=False))

    @refused_as_conflict
    async def delete_status(self, status_id: int) -> None:
        """Delete a status and its transitions; requests still in it make the database refuse."""
        self._changing()
        await self.connection.execute(delete(WorkflowTransition).where(
            or_(WorkflowTransition.from_status_id == status_id, WorkflowTransition.to_status_id == status_id)))
        await self.connection.execute(delete(WorkflowStatus).where(WorkflowStatus.id == status_id))


def _queue_query() -> Select[Any]:
    return (select(Queue.id, Queue.name, Queue.visibility, Queue.workflow_id, Workflow.name,
                   Queue.one_open_per_author).join(Workflow, Workflow.id == Queue.workflow_id))


def _in_status(workflow_id: int, status_id: int) -> tuple[Any, ...]:
    # Naming the workflow's queues lets the (queue_id, status_id, ...) list indexes serve the search.
    queues = select(Queue.id).where(Queue.workflow_id == workflow_id)
    return Request.queue_id.in_(queues), Request.status_id == status_id
