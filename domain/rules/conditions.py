"""What a rule's conditions look at (the request as it is now, and where its event came from) and whether they hold."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from storage.rows import RequestRecord
from storage.unit_of_work import UnitOfWork

TELEGRAM = 'telegram'  # the identities' provider whose subject is the chat id
# What cannot change while a request stays in one status: a time-in-status rule waits only where these hold.
STABLE_FIELDS = frozenset({'queue', 'channel', 'customer', 'telegram_chat', 'status'})


@dataclass(frozen=True)
class Facts:
    record: RequestRecord
    status: str  # the status's name
    telegram_chat: str | None


async def facts_of(uow: UnitOfWork, request_id: int, event_data: Mapping[str, Any] | None = None) -> Facts | None:
    """The request as it is now (None if it is gone); the Telegram chat from the event, else the author's."""
    record = await uow.requests.record(request_id)
    if record is None:
        return None
    status = next((s.name for s in await uow.workflows.statuses(record.workflow_id) if s.id == record.status_id), '')
    chat = (event_data or {}).get('telegram_chat')
    if chat is None:
        chat = next((row.subject for row in await uow.identities.of_user(record.author_id) if row.provider == TELEGRAM),
                    None)
    return Facts(record, status, str(chat) if chat is not None else None)


def all_hold(conditions: list[dict[str, Any]], facts: Facts, *, only: Collection[str] | None = None) -> bool:
    """Whether every condition (of the `only` fields, if given) holds. The duration of a time-in-status rule is
    not checked here: its timer is due only once the duration has passed."""
    return all(holds(condition, facts) for condition in conditions
               if condition.get('field') != 'time_in_status' and (only is None or condition.get('field') in only))


def holds(condition: dict[str, Any], facts: Facts) -> bool:
    return _compare(_actual(condition.get('field'), facts), condition.get('op'), condition.get('value'))


def on_queue(conditions: list[dict[str, Any]], queue_id: int) -> bool:
    """Whether the conditions on the queue hold for a request in `queue_id` (the others are not looked at)."""
    return all(_compare(queue_id, condition.get('op'), condition.get('value'))
               for condition in conditions if condition.get('field') == 'queue')


def _compare(actual: object, op: object, value: object) -> bool:
    if op == 'is':
        return actual == value
    if op == 'is_not':
        return actual != value
    if op == 'in':
        return isinstance(value, list) and actual in value
    if op == 'contains':
        return isinstance(actual, str) and str(value).casefold() in actual.casefold()
    return False  # an operator this version does not know never matches


def _actual(field: object, facts: Facts) -> object:
    record = facts.record
    match field:
        case 'queue':
            return record.queue_id
        case 'channel':
            return record.channel
        case 'customer':
            return record.author_id
        case 'telegram_chat':
            return facts.telegram_chat
        case 'title':
            return record.title
        case 'status':
            return facts.status
        case 'assignee':
            return record.assignee_id
    return _UNKNOWN


_UNKNOWN = object()  # a field this version does not know: equal to nothing
