"""What a rule must be before it is saved: known triggers, fields, operators and actions, with values that exist.

Users are named by id or by username; the stored rule keeps their ids.
Errors name the part they are about: 'name', 'trigger', 'conditions', 'actions', or 'condition-N' / 'action-N'
for the N-th row (from 0), so a form can show the message beside what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from domain import permissions
from domain.errors import InvalidInput
from domain.text import storable
from storage.queue_admin import QueueSummary, WorkflowSummary
from storage.rows import UserRow
from storage.unit_of_work import UnitOfWork

NAME_MAX = 120
TEXT_MAX = 200
NOTE_MAX = 10_000
MAX_ROWS = 20  # conditions or actions in one rule
MAX_SECONDS = 366 * 24 * 3600
NEXT = '__next__'  # set_status: the next status by position that the workflow allows
TRIGGERS = ('request.created', 'message.received', 'status.changed', 'time_in_status')
OPERATORS: dict[str, tuple[str, ...]] = {
    'queue': ('is', 'is_not'), 'channel': ('is', 'is_not'), 'customer': ('is', 'is_not'), 'telegram_chat': ('is',),
    'title': ('contains',), 'status': ('is', 'is_not', 'in'), 'assignee': ('is', 'is_not'),
    'time_in_status': ('longer_than',),
}
CHANNELS = ('web', 'telegram', 'api', 'widget')  # where a request or message came from
ACTIONS = ('assign', 'assign_round_robin', 'set_status', 'note', 'email', 'slack')
RECIPIENTS = ('author', 'assignee')
EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')
CHAT_ID = re.compile(r'^-?\d{1,20}$')


@dataclass(frozen=True)
class RuleDraft:
    """A rule as an admin wrote it, before or after checking."""

    name: str
    trigger: str
    conditions: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    enabled: bool = True


async def checked(uow: UnitOfWork, draft: RuleDraft) -> RuleDraft:
    """The draft with its values in their stored form, or InvalidInput naming the first thing that is wrong."""
    name = storable(draft.name or '').strip()
    if not name:
        raise InvalidInput('Enter a name.', field='name')
    if len(name) > NAME_MAX:
        raise InvalidInput('At most {max} characters (now {length}).', field='name', max=NAME_MAX, length=len(name))
    if draft.trigger not in TRIGGERS:
        raise InvalidInput('Choose when the rule runs.', field='trigger')
    if len(draft.conditions) > MAX_ROWS or len(draft.actions) > MAX_ROWS:
        raise InvalidInput('At most {max} conditions and {max} actions.', field='actions', max=MAX_ROWS)
    known = _Known(await uow.queue_admin.queues(), await uow.queue_admin.workflows(), uow)
    conditions = [await _condition(known, draft, row, index) for index, row in enumerate(draft.conditions)]
    timed = [c for c in conditions if c['field'] == 'time_in_status']
    if draft.trigger == 'time_in_status' and len(timed) != 1:
        raise InvalidInput('A time-in-status rule needs one duration.', field='conditions')
    queue_ids = [c['value'] for c in conditions if c['field'] == 'queue' and c['op'] == 'is']
    known.narrow(queue_ids)
    for index, condition in enumerate(conditions):
        if condition['field'] == 'status':
            for status in condition['value'] if condition['op'] == 'in' else [condition['value']]:
                known.check_status(status, f'condition-{index}')
    if not draft.actions:
        raise InvalidInput('Add at least one action.', field='actions')
    actions = [await _action(known, row, index) for index, row in enumerate(draft.actions)]
    return RuleDraft(name, draft.trigger, conditions, actions, bool(draft.enabled))


def duration(conditions: list[dict[str, Any]]) -> int | None:
    """The seconds of a rule's time-in-status condition, if it has one."""
    for condition in conditions:
        if condition.get('field') == 'time_in_status':
            return int(condition['value'])
    return None


class _Known:
    """The queues, statuses and staff a rule may name."""

    def __init__(self, queues: list[QueueSummary], workflows: list[WorkflowSummary], uow: UnitOfWork) -> None:
        self.queues = {queue.id: queue for queue in queues}
        self.workflows = workflows
        self.statuses = {status.name for workflow in workflows for status in workflow.statuses}
        self.uow = uow

    def narrow(self, queue_ids: list[int]) -> None:
        """A rule on one queue may only name the statuses of that queue's workflow."""
        if queue_ids:
            workflow_ids = {self.queues[queue_id].workflow_id for queue_id in queue_ids}
            self.statuses = {status.name for workflow in self.workflows if workflow.id in workflow_ids
                             for status in workflow.statuses}

    def check_status(self, name: object, field: str) -> str:
        if not isinstance(name, str) or name not in self.statuses:
            raise InvalidInput('There is no status "{name}" here.', field=field, name=str(name or ''))
        return name

    async def staff(self, user: object, field: str) -> int:
        found = await self.user(user)
        if found is None or not found.is_active or not permissions.is_staff(found):
            raise InvalidInput('Choose an active agent.', field=field)
        return found.id

    async def user(self, user: object) -> UserRow | None:
        """The user a rule names: by id (a number), or by username (text, as API clients may write it)."""
        if isinstance(user, int) and not isinstance(user, bool):
            return await self.uow.users.get(user)
        if isinstance(user, str) and user.strip():
            return await self.uow.users.named(user.strip())
        return None


async def _condition(known: _Known, draft: RuleDraft, row: object, index: int) -> dict[str, Any]:
    where = f'condition-{index}'
    if not isinstance(row, dict) or row.get('field') not in OPERATORS:
        raise InvalidInput('Choose what the condition looks at.', field=where)
    name, op, value = row['field'], row.get('op'), row.get('value')
    if op not in OPERATORS[name]:
        raise InvalidInput('This condition cannot use "{op}".', field=where, op=str(op))
    if name == 'queue':
        if not isinstance(value, int) or value not in known.queues:
            raise InvalidInput('Choose a queue.', field=where)
    elif name == 'channel':
        if value not in CHANNELS:
            raise InvalidInput('Choose a channel.', field=where)
    elif name == 'customer':
        customer = await known.user(value)
        if customer is None:
            raise InvalidInput('There is no user with this id.', field=where)
        value = customer.id
    elif name == 'telegram_chat':
        value = str(value if value is not None else '').strip()
        if not CHAT_ID.match(value):
            raise InvalidInput('A Telegram chat id is a number.', field=where)
    elif name == 'title':
        value = storable(str(value or '')).strip()
        if not value or len(value) > TEXT_MAX:
            raise InvalidInput('Enter the text to look for (at most {max} characters).', field=where, max=TEXT_MAX)
    elif name == 'status':
        value = _status_value(op, value, where)
    elif name == 'assignee':
        value = None if value is None else await known.staff(value, where)
    else:  # time_in_status
        if draft.trigger != 'time_in_status':
            raise InvalidInput('Only a time-in-status rule has a duration.', field=where)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= MAX_SECONDS:
            raise InvalidInput('Enter a duration from one second to a year.', field=where)
        value = int(value)
    return {'field': name, 'op': op, 'value': value}


def _status_value(op: str, value: object, where: str) -> str | list[str]:
    if op == 'in':
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise InvalidInput('Choose at least one status.', field=where)
        return list(dict.fromkeys(value))
    if not isinstance(value, str) or not value:
        raise InvalidInput('Choose a status.', field=where)
    return value


async def _action(known: _Known, row: object, index: int) -> dict[str, Any]:
    where = f'action-{index}'
    if not isinstance(row, dict) or row.get('type') not in ACTIONS:
        raise InvalidInput('Choose what the action does.', field=where)
    kind = row['type']
    if kind == 'assign':
        return {'type': kind, 'user_id': await known.staff(row.get('user_id'), where)}
    if kind == 'assign_round_robin':
        user_ids = row.get('user_ids')
        if not isinstance(user_ids, list) or not user_ids:
            raise InvalidInput('Choose at least one agent.', field=where)
        return {'type': kind, 'user_ids': sorted({await known.staff(user_id, where) for user_id in user_ids})}
    if kind == 'set_status':
        status = row.get('status')
        return {'type': kind, 'status': status if status == NEXT else known.check_status(status, where)}
    if kind == 'note':
        text = storable(str(row.get('text') or '')).strip()
        if not text or len(text) > NOTE_MAX:
            raise InvalidInput('Enter the note (at most {max} characters).', field=where, max=NOTE_MAX)
        return {'type': kind, 'text': text}
    if kind == 'email':
        to = str(row.get('to') or '').strip()
        if to not in RECIPIENTS and not (len(to) <= 254 and EMAIL.match(to)):
            raise InvalidInput('Enter an email address, or choose the author or the assignee.', field=where)
        return {'type': kind, 'to': to}
    return {'type': kind}  # slack: the channel is the app's setting
