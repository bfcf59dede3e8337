"""Queues and their workflows' statuses and transitions, read through the process's Catalog when one is given."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from .catalog import Catalog
from .models import Queue, WorkflowStatus, WorkflowTransition
from .rows import QueueRow, StatusRow

T = TypeVar('T')


@dataclass(frozen=True)
class QueueFacts:
    id: int
    name: str
    visibility: str
    workflow_id: int
    has_fields: bool  # filed through its own form (Orders: line items)
    one_open_per_author: bool  # a support desk: a customer's next ticket opens once the last one closed


class WorkflowRepository:
    def __init__(self, connection: AsyncConnection, catalog: Catalog | None = None) -> None:
        self.connection = connection
        self.catalog = catalog  # None: every read goes to the database (this unit of work changes the catalog)

    async def _cached(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        return await load() if self.catalog is None else await self.catalog.get(key, load)

    async def queue(self, queue_id: int) -> QueueRow | None:
        return await self._cached(('queue', queue_id), lambda: self._queue(queue_id))

    async def _queue(self, queue_id: int) -> QueueRow | None:
        query = select(Queue.id, Queue.name, Queue.visibility, Queue.workflow_id).where(Queue.id == queue_id)
        row = (await self.connection.execute(query)).one_or_none()
        return QueueRow(*row) if row else None

    async def queue_by_name(self, name: str) -> QueueRow | None:
        return await self._cached(('queue named', name), lambda: self._queue_by_name(name))

    async def _queue_by_name(self, name: str) -> QueueRow | None:
        row = (await self.connection.execute(
            select(Queue.id, Queue.name, Queue.visibility, Queue.workflow_id).where(Queue.name == name))).one_or_none()
        return QueueRow(*row) if row else None

    async def queue_fields(self, queue_id: int) -> list[dict[str, Any]]:
        """The queue's own field definitions as stored (see domain.requests.fields)."""
        return list(await self._cached(('fields', queue_id), lambda: self._queue_fields(queue_id)))

    async def _queue_fields(self, queue_id: int) -> tuple[dict[str, Any], ...]:
        return tuple(await self.connection.scalar(select(Queue.fields).where(Queue.id == queue_id)) or [])

    async def private_queues(self) -> list[QueueRow]:
        """The desk's queues, whose requests staff work in the inbox: private ones without fields of their own.

        A queue with its own fields (Orders: line items, a total) has its own pages, which show them; in the inbox
        its requests would crowd out the conversations, and a timed workflow would keep reordering it.
        """
        return list(await self._cached('private queues', self._private_queues))

    async def _private_queues(self) -> tuple[QueueRow, ...]:
        rows = await self.connection.execute(
            select(Queue.id, Queue.name, Queue.visibility, Queue.workflow_id, Queue.fields)
            .where(Queue.visibility == 'private').order_by(Queue.name))
        return tuple(QueueRow(id, name, visibility, workflow_id) for id, name, visibility, workflow_id, fields in rows
                     if not fields)

    async def queues(self) -> list[QueueFacts]:
        """Every queue, by name, with what decides who may file and read there (a few dozen: configuration)."""
        return list(await self._cached('all queues', self._queues))

    async def _queues(self) -> tuple[QueueFacts, ...]:
        rows = await self.connection.execute(
            select(Queue.id, Queue.name, Queue.visibility, Queue.workflow_id, Queue.fields, Queue.one_open_per_author)
            .order_by(Queue.name))
        return tuple(QueueFacts(id, name, visibility, workflow_id, bool(fields), bool(one_open))
                     for id, name, visibility, workflow_id, fields, one_open in rows)

    async def statuses(self, workflow_id: int) -> list[StatusRow]:
        return list(await self._cached(('statuses', workflow_id), lambda: self._statuses(workflow_id)))

    async def _statuses(self, workflow_id: int) -> tuple[StatusRow, ...]:
        rows = await self.connection.execute(
            select(WorkflowStatus.id, WorkflowStatus.name, WorkflowStatus.kind, WorkflowStatus.position)
            .where(WorkflowStatus.workflow_id == workflow_id).order_by(WorkflowStatus.position))
        return tuple(StatusRow(*row) for row in rows)

    async def transitions(self, workflow_id: int) -> list[tuple[int, int]]:
        return list(await self._cached(('transitions', workflow_id), lambda: self._transitions(workflow_id)))

    async def _transitions(self, workflow_id: int) -> tuple[tuple[int, int], ...]:
        rows = await self.connection.execute(
            select(WorkflowTransition.from_status_id, WorkflowTransition.to_status_id)
            .where(WorkflowTransition.workflow_id == workflow_id))
        return tuple((source, target) for source, target in rows)
