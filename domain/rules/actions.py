"""A rule's actions, applied as the system in the caller's transaction: all of a rule's actions happen, or none.

They go through the same domain steps as people's actions (workflow transitions, one open request per author,
tickets to active agents only), without a person's permission check. Each returns a summary for the timeline.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from domain import access
from domain.errors import InvalidInput, InvalidTransition, NotFound
from domain.events import RequestChanged
from domain.requests.service import move_status
from domain.rules.checks import NEXT
from domain.tickets.service import active_agent, add_note, assign_to
from storage.rows import RequestRecord
from storage.rules import RuleRow
from storage.unit_of_work import UnitOfWork

CHANNEL = 'rule'  # the channel of everything a rule does
EMAIL_JOB, SLACK_JOB = 'email.send', 'slack.post'
KEY_MAX = 200  # jobs.dedup_key's length


@dataclass(frozen=True)
class Firing:
    """One run of a rule: which, on what request, for what cause (`key` names it in dedup keys)."""

    rule: RuleRow
    request_id: int
    key: str
    depth: int  # how many rule-made status changes led here: stops rules that would set each other off forever


async def apply(uow: UnitOfWork, firing: Firing) -> list[dict[str, Any]]:
    done = []
    for action in firing.rule.actions:
        record = await uow.requests.record(firing.request_id)  # as the previous action left it
        if record is None:
            raise NotFound('This request does not exist.')
        done.append(await _apply(uow, firing, record, action))
    return done


async def _apply(uow: UnitOfWork, firing: Firing, record: RequestRecord, action: dict[str, Any]) -> dict[str, Any]:
    kind = action.get('type')
    if kind == 'assign':
        return await _assign(uow, firing, record, int(action['user_id']))
    if kind == 'assign_round_robin':
        user_id = await uow.rules.least_loaded([int(user_id) for user_id in action.get('user_ids', [])])
        if user_id is None:
            raise InvalidInput('None of the agents of this rule is active.')
        return await _assign(uow, firing, record, user_id)
    if kind == 'set_status':
        return await _set_status(uow, firing, record, str(action.get('status')))
    if kind == 'note':
        if record.visibility == 'public':  # the board's conversations are the author's: no staff thread there
            raise InvalidInput('Internal notes belong to desk tickets, not to the public board.')
        await add_note(uow, record, str(action['text']), author_id=None, channel=CHANNEL, rule=firing.rule.name)
        return {'type': 'note'}
    if kind == 'email':
        return await _email(uow, firing, record, str(action.get('to')))
    if kind == 'slack':
        text = f'Rule "{firing.rule.name}": #{record.id} {record.title} ({await _status_name(uow, record)})'
        await uow.jobs.add(SLACK_JOB, {'text': text}, dedup_key=_key('rule-slack', firing.rule.id, firing.key))
        return {'type': 'slack'}
    raise InvalidInput('This rule has an action this version does not know: {type}.', type=str(kind))


async def _assign(uow: UnitOfWork, firing: Firing, record: RequestRecord, user_id: int) -> dict[str, Any]:
    agent = await active_agent(uow, user_id)
    if record.assignee_id != agent.id:
        await assign_to(uow, record, agent, actor_id=None, channel=CHANNEL, rule=firing.rule.name)
        uow.emit(RequestChanged(record.id, record.queue_id))
    return {'type': 'assign', 'to': agent.display_name}


async def _set_status(uow: UnitOfWork, firing: Firing, record: RequestRecord, wanted: str) -> dict[str, Any]:
    workflow = await access.workflow(uow, record.workflow_id)
    current = workflow.status(record.status_id)
    if wanted == NEXT:
        later = [s for s in workflow.next_statuses(current.id) if s.position > current.position]
        if not later:
            raise InvalidTransition('"{status}" has no next status.', status=current.name)
        target = min(later, key=lambda status: status.position)
    else:
        target = next((status for status in workflow.statuses if status.name == wanted), None)
        if target is None:
            raise NotFound('There is no status "{name}" here.', name=wanted)
    if target.id != current.id:
        await move_status(uow, record, target.id, actor_id=None, channel=CHANNEL, rule=firing.rule.name,
                          rule_id=firing.rule.id, depth=firing.depth)
    return {'type': 'set_status', 'to': target.name}


async def _email(uow: UnitOfWork, firing: Firing, record: RequestRecord, to: str) -> dict[str, Any]:
    if to in ('author', 'assignee'):
        address = await uow.rules.email_of(record.author_id if to == 'author' else record.assignee_id)
        if not address:  # nobody to write to is no failure of the rule: its other actions stand
            return {'type': 'email', 'to': to, 'skipped': True}
    else:
        address = to
    status = await _status_name(uow, record)
    body = f'{record.title}\n\nRequest #{record.id} in {record.queue}, status {status}.\nSent by the rule ' \
           f'"{firing.rule.name}".'
    await uow.jobs.add(EMAIL_JOB, {'to': address, 'subject': f'#{record.id} {record.title}'[:200], 'body': body},
                       dedup_key=_key('rule-email', firing.rule.id, firing.key, address))
    return {'type': 'email', 'to': address}


async def _status_name(uow: UnitOfWork, record: RequestRecord) -> str:
    return (await access.workflow(uow, record.workflow_id)).status(record.status_id).name


def _key(*parts: object) -> str:
    """A dedup key; a long one (a long address) keeps its start and a hash of the whole."""
    key = ':'.join(str(part) for part in parts)
    if len(key) <= KEY_MAX:
        return key
    return f'{key[:KEY_MAX - 41]}#{hashlib.sha256(key.encode()).hexdigest()[:40]}'
