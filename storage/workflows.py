"""Queues and their workflows' statuses and transitions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Queue, WorkflowStatus, WorkflowTransition
from .rows import QueueRow, StatusRow


class WorkflowRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def queue(self, queue_id: int) -> QueueRow | None:
        query = select(Queue.id, Queue.name, Queue.visibility, Queue.workflow_id).where(Queue.id == queue_id)
        row = (await self.session.execute(query)).one_or_none()
        return QueueRow(*row) if row else None

    async def queue_by_name(self, name: str) -> QueueRow | None:
        row = (await self.session.execute(
            select(Queue.id, Queue.name, Queue.visibility, Queue.workflow_id).where(Queue.name == name))).one_or_none()
        return QueueRow(*row) if row else None

    async def queue_fields(self, queue_id: int) -> list[dict[str, Any]]:
        """The queue's own field definitions as stored (see domain.fields)."""
        return list(await self.session.scalar(select(Queue.fields).where(Queue.id == queue_id)) or [])

    async def private_queues(self) -> list[QueueRow]:
        """The desk's queues, whose requests staff work in the inbox: private ones without fields of their own.

        A queue with its own fields (Orders: line items, a total) has its own pages, which show them; in the inbox
        its requests would crowd out the conversations, and a timed workflow would keep reordering it.
        """
        rows = await self.session.execute(
            select(Queue.id, Queue.name, Queue.visibility, Queue.workflow_id, Queue.fields)
            .where(Queue.visibility == 'private').order_by(Queue.name))
        return [QueueRow(id, name, visibility, workflow_id) for id, name, visibility, workflow_id, fields in rows
                if not fields]

    async def statuses(self, workflow_id: int) -> list[StatusRow]:
        rows = await self.session.execute(
            select(WorkflowStatus.id, WorkflowStatus.name, WorkflowStatus.kind, WorkflowStatus.position)
            .where(WorkflowStatus.workflow_id == workflow_id).order_by(WorkflowStatus.position))
        return [StatusRow(*row) for row in rows]

    async def transitions(self, workflow_id: int) -> list[tuple[int, int]]:
        rows = await self.session.execute(
            select(WorkflowTransition.from_status_id, WorkflowTransition.to_status_id)
            .where(WorkflowTransition.workflow_id == workflow_id))
        return [(source, target) for source, target in rows]
