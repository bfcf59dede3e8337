"""Rules page: staff read the rules, admins create, change, switch, order and delete them at run time.

Each process keeps the enabled rules in memory; every save publishes `RulesChanged`, which reaches every
instance (LISTEN/NOTIFY), and each drops its copy, so an edit takes effect at once everywhere.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from domain import access, permissions
from domain.errors import InvalidInput, NotFound
from domain.events import RulesChanged
from domain.rules.checks import RuleDraft, checked
from storage.queue_admin import QueueSummary
from storage.rows import UserRow
from storage.rules import RuleRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

__all__ = ['RuleDraft', 'RuleOptions', 'RuleRow', 'RuleService', 'RulesView', 'user_ids']

# What anyone else is told (translated like every domain message).
STAFF_ONLY = 'Only staff can see the rules.'
ADMINS_ONLY = 'Only admins can change the rules.'
UNCHANGED = object()  # change(): a part the caller left as it is


@dataclass(frozen=True)
class RulesView:
    rules: list[RuleRow]
    editable: bool  # the viewer is an admin; agents see the same, read-only
    usernames: dict[int, str] = field(default_factory=dict)  # of the users the rules name, by id


@dataclass(frozen=True)
class RuleOptions:
    """What a rule can name: for the editor's choices and for describing rules in words."""

    queues: list[QueueSummary]
    statuses: list[str]  # every workflow's, in workflow order, each name once
    agents: list[UserRow]


class RuleService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow
        self._enabled: dict[str, list[RuleRow]] = {}
        self._generation = 0  # bumped on every drop: a read that began before a drop must not be kept
        # Set by the rule engine: queues what a saved rule needs (timers), in the saving transaction.
        self.on_saved: Callable[[UnitOfWork, RuleRow], Awaitable[None]] | None = None

    async def overview(self, *, actor_id: int | None) -> RulesView:
        async with self.uow() as uow:
            actor = await access.require_staff(uow, actor_id, STAFF_ONLY)
            return RulesView(await uow.rules.all(), editable=permissions.is_admin(actor))

    async def named(self, *, actor_id: int | None, rule_id: int | None = None) -> RulesView:
        """The rules (or the one rule), with the usernames of the users they name, for API clients."""
        async with self.uow() as uow:
            actor = await access.require_staff(uow, actor_id, STAFF_ONLY)
            rules = await uow.rules.all() if rule_id is None else [await _rule(uow, rule_id)]
            usernames = await uow.audit.usernames(uid for rule in rules for uid in user_ids(rule))
            return RulesView(rules, editable=permissions.is_admin(actor), usernames=usernames)

    async def options(self, *, actor_id: int | None) -> RuleOptions:
        async with self.uow() as uow:
            await access.require_staff(uow, actor_id, STAFF_ONLY)
            statuses = [status.name for workflow in await uow.queue_admin.workflows() for status in workflow.statuses]
            return RuleOptions(await uow.queue_admin.queues(), list(dict.fromkeys(statuses)), await uow.users.staff())

    async def create(self, *, actor_id: int | None, draft: RuleDraft) -> int:
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            draft = await checked(uow, draft)
            rule = await uow.rules.add(name=draft.name, trigger=draft.trigger, conditions=draft.conditions,
                                       actions=draft.actions, enabled=draft.enabled)
            await self._saved(uow, actor, 'rule.created', None, rule)
            await uow.commit()
        return rule.id

    async def update(self, *, actor_id: int | None, rule_id: int, draft: RuleDraft) -> None:
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            before = await _rule(uow, rule_id)
            draft = await checked(uow, draft)
            after = await uow.rules.update(rule_id, name=draft.name, trigger=draft.trigger,
                                           conditions=draft.conditions, actions=draft.actions, enabled=draft.enabled)
            await self._saved(uow, actor, 'rule.updated', before, after)
            await uow.commit()

    async def change(self, *, actor_id: int | None, rule_id: int, name: Any = UNCHANGED, trigger: Any = UNCHANGED,
                     conditions: Any = UNCHANGED, actions: Any = UNCHANGED, enabled: Any = UNCHANGED) -> None:
        """Change some parts of a rule, keeping the rest; the whole is checked as `update` checks it."""
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            before = await _rule(uow, rule_id)
            given = {'name': name, 'trigger': trigger, 'conditions': conditions, 'actions': actions, 'enabled': enabled}
            draft = replace(RuleDraft(before.name, before.trigger, before.conditions, before.actions, before.enabled),
                            **{key: value for key, value in given.items() if value is not UNCHANGED})
            draft = await checked(uow, draft)
            after = await uow.rules.update(rule_id, name=draft.name, trigger=draft.trigger,
                                           conditions=draft.conditions, actions=draft.actions, enabled=draft.enabled)
            await self._saved(uow, actor, 'rule.updated', before, after)
            await uow.commit()

    async def set_enabled(self, *, actor_id: int | None, rule_id: int, enabled: bool) -> None:
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            before = await _rule(uow, rule_id)
            if before.enabled == enabled:
                return
            await self._saved(uow, actor, 'rule.updated', before, await uow.rules.update(rule_id, enabled=enabled))
            await uow.commit()

    async def move(self, *, actor_id: int | None, rule_id: int, offset: int) -> None:
        """Move a rule up (-1) or down (+1) in the order rules run in."""
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            await _rule(uow, rule_id)
            ids = [rule.id for rule in await uow.rules.all()]
            index = ids.index(rule_id)
            target = min(max(index + offset, 0), len(ids) - 1)
            if target == index:
                return
            ids.insert(target, ids.pop(index))
            await uow.rules.set_positions(ids)
            uow.events.add('rule.moved', actor_id=actor.id, rule_id=rule_id, position=target + 1)
            uow.emit(RulesChanged())
            await uow.commit()

    async def reorder(self, *, actor_id: int | None, rule_ids: list[int]) -> None:
        """Put every rule in this order (the API's whole list; the page moves one rule at a time)."""
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            ids = [rule.id for rule in await uow.rules.all()]
            # The whole list, so a rule added meanwhile by another admin is never put somewhere by accident.
            if len(rule_ids) != len(ids) or set(rule_ids) != set(ids):
                raise InvalidInput('List every rule once, in the order they should run.', field='rule_ids')
            if rule_ids == ids:
                return
            await uow.rules.set_positions(rule_ids)
            uow.events.add('rule.reordered', actor_id=actor.id, rule_ids=list(rule_ids))
            uow.emit(RulesChanged())
            await uow.commit()

    async def delete(self, *, actor_id: int | None, rule_id: int) -> None:
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            before = await _rule(uow, rule_id)
            await uow.rules.delete(rule_id)
            await self._saved(uow, actor, 'rule.deleted', before, None)
            await uow.commit()

    async def enabled(self, trigger: str, uow: UnitOfWork | None = None) -> list[RuleRow]:
        """The enabled rules of a trigger, in order, for the engine: read once per process until rules change.

        A committing transaction asks through its own `uow`: a second connection there, while every writer held its
        own, waited for the pool until its timeout (30 s; bench/live_load.py scenario 8 right after start, when the
        commits also queued for the event log's lock, which is now taken only at COMMIT: storage/events.py)."""
        cached = self._enabled.get(trigger)
        if cached is not None:
            return cached
        generation = self._generation
        if uow is not None:
            rules = await uow.rules.enabled(trigger)
        else:
            async with self.uow() as own:
                rules = await own.rules.enabled(trigger)
        if generation == self._generation:
            self._enabled[trigger] = rules
        return rules

    def forget(self, _event: object = None) -> None:
        """Drop the cached rules (a rule was saved here or on another instance, or events may have been missed)."""
        self._generation += 1
        self._enabled = {}

    async def _saved(self, uow: UnitOfWork, actor: UserRow, kind: str, before: RuleRow | None,
                     after: RuleRow | None) -> None:
        """The audit record with what changed, the drop of every instance's cache, and the engine's follow-up."""
        rule = after or before
        assert rule is not None
        uow.events.add(kind, actor_id=actor.id, rule_id=rule.id, name=rule.name,
                       before=_audited(before), after=_audited(after))
        uow.emit(RulesChanged())
        if after is not None and self.on_saved is not None:
            await self.on_saved(uow, after)


def _audited(rule: RuleRow | None) -> dict[str, Any] | None:
    if rule is None:
        return None
    values = asdict(rule)
    for moment in ('created_at', 'updated_at'):
        values[moment] = values[moment].isoformat()
    return values


def user_ids(rule: RuleRow) -> list[int]:
    """The users a rule names: customers and assignees of its conditions, agents of its actions."""
    found = [c['value'] for c in rule.conditions if c.get('field') in ('customer', 'assignee')]
    for action in rule.actions:
        found += [action.get('user_id')] if action.get('type') == 'assign' else action.get('user_ids', [])
    return [user_id for user_id in found if isinstance(user_id, int)]


async def _rule(uow: UnitOfWork, rule_id: int) -> RuleRow:
    rule = await uow.rules.get(rule_id)
    if rule is None:
        raise NotFound('This rule does not exist any more.')
    return rule


