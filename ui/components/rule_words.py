"""Rules in words: the names of triggers, fields, operators and actions, and a saved rule read out as a sentence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.rules.service import RuleOptions

from ..i18n import t

UNITS = {'days': 86400, 'hours': 3600, 'minutes': 60, 'seconds': 1}
NEXT = '__next__'


def trigger_labels() -> dict[str, str]:
    return {'request.created': t('A request is created'), 'message.received': t('The customer writes'),
            'status.changed': t('The status changes'), 'time_in_status': t('A request stays in a status')}


def field_labels() -> dict[str, str]:
    return {'queue': t('Queue'), 'channel': t('Channel'), 'customer': t('Customer'),
            'telegram_chat': t('Telegram chat'), 'title': t('Title'), 'status': t('Status'),
            'assignee': t('Assignee'), 'time_in_status': t('Time in status')}


def op_labels() -> dict[str, str]:
    return {'is': t('is'), 'is_not': t('is not'), 'in': t('is one of'), 'contains': t('contains'),
            'longer_than': t('longer than')}


def action_labels() -> dict[str, str]:
    return {'assign': t('Assign to an agent'), 'assign_round_robin': t('Assign to the least busy agent of'),
            'set_status': t('Set the status'), 'note': t('Add an internal note'), 'email': t('Send an email'),
            'slack': t('Post to Slack')}


def channel_labels() -> dict[str, str]:
    return {'web': t('Web'), 'telegram': t('Telegram'), 'api': t('API'), 'widget': t('Website widget')}


def unit_labels() -> dict[str, str]:
    return {'seconds': t('seconds'), 'minutes': t('minutes'), 'hours': t('hours'), 'days': t('days')}


def split_duration(seconds: int) -> tuple[int, str]:
    """The largest unit that divides the duration: 120 → (2, 'minutes')."""
    for unit, size in UNITS.items():
        if seconds % size == 0:
            return seconds // size, unit
    return seconds, 'seconds'


def duration_text(seconds: int) -> str:
    count, unit = split_duration(seconds)
    return {'days': t('{count} d'), 'hours': t('{count} h'), 'minutes': t('{count} min'),
            'seconds': t('{count} s')}[unit].format(count=count)


class RuleWords:
    """Reads a rule's parts aloud, naming queues and agents as the options know them."""

    def __init__(self, options: RuleOptions, people: Mapping[int, str] | None = None) -> None:
        self.queues = {queue.id: queue.name for queue in options.queues}
        self.agents = {agent.id: agent.display_name for agent in options.agents}
        self.people = people or {}  # customers the conditions name: "Ann Lee (ann)"

    def when(self, trigger: str) -> str:
        return trigger_labels().get(trigger, trigger)

    def conditions(self, conditions: list[dict[str, Any]]) -> str:
        if not conditions:
            return t('always')
        return t(' and ').join(self.condition(condition) for condition in conditions)

    def condition(self, condition: dict[str, Any]) -> str:
        name = str(condition.get('field'))
        return f'{field_labels().get(name, name)} {op_labels().get(str(condition.get("op")), "")} ' \
               f'{self.value(name, condition.get("value"))}'

    def value(self, name: str, value: Any) -> str:
        if name == 'queue':
            return self.queues.get(value, f'#{value}')
        if name == 'channel':
            return channel_labels().get(str(value), str(value))
        if name == 'customer':
            return self.people.get(value) or t('user #{id}', id=value)  # a user deleted since
        if name == 'status':
            return ', '.join(t(str(v)) for v in value) if isinstance(value, list) else t(str(value))
        if name == 'assignee':
            return self.agents.get(value, f'#{value}') if value is not None else t('nobody')
        if name == 'time_in_status':
            return duration_text(int(value))
        if name == 'telegram_chat':
            return str(value)
        return f'"{value}"'  # title text: quoted, so spaces at its ends show

    def actions(self, actions: list[dict[str, Any]]) -> str:
        return t(', then ').join(self.action(action) for action in actions)

    def action(self, action: dict[str, Any]) -> str:
        match action.get('type'):
            case 'assign':
                return t('assign to {name}', name=self.agents.get(action.get('user_id'), f'#{action.get("user_id")}'))
            case 'assign_round_robin':
                names = ', '.join(self.agents.get(user_id, f'#{user_id}') for user_id in action.get('user_ids', []))
                return t('assign to the least busy of {names}', names=names)
            case 'set_status' if action.get('status') == NEXT:
                return t('move to the next status')
            case 'set_status':
                return t('set the status to {status}', status=t(str(action.get('status'))))
            case 'note':
                text = str(action.get('text', ''))
                return t('add the note "{note}"', note=text if len(text) <= 60 else f'{text[:59]}…')
            case 'email':
                to = str(action.get('to'))
                whom = {'author': t('the author'), 'assignee': t('the assignee')}.get(to, to)
                return t('email {whom}', whom=whom)
            case 'slack':
                return t('post to Slack')
        return str(action.get('type'))
