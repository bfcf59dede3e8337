"""Rules: the rows admins edit, the enabled ones the engine runs, and the reads the engine needs besides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .model_automation import Rule
from .models import Event, Request, User, WorkflowStatus, utcnow

MAX_RULES = 500  # rules are configuration: a few dozen; the cap keeps every read bounded
STAFF_ROLES = ('agent', 'admin')


@dataclass(frozen=True)
class RuleRow:
    id: int
    name: str
    trigger: str
    conditions: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    enabled: bool
    position: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Candidate:
    """A request a time-in-status rule may have to wait on."""

    id: int
    status_since: datetime


_COLUMNS = (Rule.id, Rule.name, Rule.trigger, Rule.conditions, Rule.actions, Rule.enabled, Rule.position,
            Rule.created_at, Rule.updated_at)


class RuleRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def all(self) -> list[RuleRow]:
        rows = await self.connection.execute(select(*_COLUMNS).order_by(Rule.position, Rule.id).limit(MAX_RULES))
        return [RuleRow(*row) for row in rows]

    async def enabled(self, trigger: str) -> list[RuleRow]:
        rows = await self.connection.execute(select(*_COLUMNS).where(Rule.enabled, Rule.trigger == trigger)
                                          .order_by(Rule.position, Rule.id).limit(MAX_RULES))
        return [RuleRow(*row) for row in rows]

    async def get(self, rule_id: int) -> RuleRow | None:
        row = (await self.connection.execute(select(*_COLUMNS).where(Rule.id == rule_id))).one_or_none()
        return RuleRow(*row) if row else None

    async def count(self) -> int:
        return await self.connection.scalar(select(func.count()).select_from(Rule)) or 0

    async def add(self, *, name: str, trigger: str, conditions: list[dict[str, Any]], actions: list[dict[str, Any]],
                  enabled: bool) -> RuleRow:
        """A new rule, last in order."""
        last = await self.connection.scalar(select(func.max(Rule.position)))
        now = utcnow()
        rule_id = (await self.connection.execute(insert(Rule.__table__).values(
            name=name, trigger=trigger, conditions=conditions, actions=actions, enabled=enabled,
            position=(last or 0) + 1, created_at=now, updated_at=now).returning(Rule.__table__.c.id))).scalar_one()
        found = await self.get(rule_id)
        assert found is not None
        return found

    async def update(self, rule_id: int, **values: Any) -> RuleRow | None:
        """Change some of name, trigger, conditions, actions, enabled; the rule as it is now, None if gone."""
        await self.connection.execute(update(Rule).where(Rule.id == rule_id).values(**values, updated_at=utcnow()))
        return await self.get(rule_id)

    async def delete(self, rule_id: int) -> None:
        await self.connection.execute(delete(Rule).where(Rule.id == rule_id))

    async def set_positions(self, ordered_ids: Sequence[int]) -> None:
        for position, rule_id in enumerate(ordered_ids, start=1):
            await self.connection.execute(update(Rule).where(Rule.id == rule_id).values(position=position))

    async def least_loaded(self, user_ids: Sequence[int]) -> int | None:
        """Of these users, the active staff member with the fewest open requests assigned; ties go to the lowest id."""
        open_assigned = and_(Request.assignee_id == User.id, Request.closed_at.is_(None))
        return await self.connection.scalar(
            select(User.id).outerjoin(Request, open_assigned)
            .where(User.id.in_(list(user_ids)), User.is_active, User.role.in_(STAFF_ROLES))
            .group_by(User.id).order_by(func.count(Request.id), User.id).limit(1))

    async def email_of(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        return await self.connection.scalar(select(User.email).where(User.id == user_id))

    async def status_since(self, request_id: int) -> datetime | None:
        return await self.connection.scalar(select(Request.status_since).where(Request.id == request_id))

    async def lock(self, request_id: int) -> datetime | None:
        """Hold the request's row until this transaction ends, so rules on one request take turns (PostgreSQL; on
        SQLite writers take turns anyway); returns its status_since as it is now, None if it is gone."""
        return await self.connection.scalar(select(Request.status_since).where(Request.id == request_id)
                                         .with_for_update())

    async def ran(self, request_id: int) -> set[tuple[int, str]]:
        """(rule id, cause) of every rule that fired or failed on the request: a re-run job must not repeat them."""
        rows = await self.connection.scalars(
            select(Event.data).where(Event.request_id == request_id, Event.kind.in_(('rule.fired', 'rule.failed')))
            .order_by(Event.id).limit(5000))
        return {(data.get('rule_id'), data.get('cause')) for data in rows if isinstance(data, dict)}

    async def candidates(self, *, queue_ids: Sequence[int] | None, status_names: Sequence[str] | None,
                         after_id: int, limit: int) -> list[Candidate]:
        """Requests by id after `after_id`, narrowed by queue and status name where the rule names them."""
        query = select(Request.id, Request.status_since).where(Request.id > after_id)
        if queue_ids is not None:
            query = query.where(Request.queue_id.in_(list(queue_ids)))
        if status_names is not None:
            query = query.join(WorkflowStatus, WorkflowStatus.id == Request.status_id) \
                .where(WorkflowStatus.name.in_(list(status_names)))
        rows = await self.connection.execute(query.order_by(Request.id).limit(limit))
        return [Candidate(*row) for row in rows]
