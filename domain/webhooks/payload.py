"""What a webhook delivery says: the public event kinds and the one function that builds a delivery's body.

Kept apart so the API's event stream can share the shape: {"id", "event_id", "kind", "created_at",
"ticket": {"id", "queue_id", "title", "status"}, "actor": {...} or null, "data": {...}}.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from domain import access
from storage.unit_of_work import UnitOfWork

# The event log's kinds -> the names webhooks publish them under.
PUBLIC_KINDS = {'request.created': 'ticket.created', 'message.posted': 'message.posted', 'note.added': 'note.added',
                'status.changed': 'status.changed', 'assigned': 'ticket.assigned'}
WEBHOOK_EVENTS = tuple(PUBLIC_KINDS.values())
LOG_KINDS = {public: kind for kind, public in PUBLIC_KINDS.items()}
WITH_TEXT = ('message.posted', 'note.added')  # the message itself travels with these


async def build_payload(uow: UnitOfWork, *, delivery_id: str, event: dict[str, Any]) -> dict[str, Any] | None:
    """The body of the delivery `delivery_id` of a followed event (a job's payload); None if its request is gone."""
    record = await uow.requests.record(int(event['request_id'])) if event.get('request_id') else None
    if record is None:
        return None
    status = (await access.workflow(uow, record.workflow_id)).status(record.status_id).name
    actor = await uow.users.get(int(event['actor_id'])) if event.get('actor_id') else None
    created_at = await uow.webhooks.event_time(int(event['event_id']))
    data = dict(event.get('data') or {})
    if event['kind'] in WITH_TEXT and isinstance(data.get('message_id'), int):
        message = await uow.conversations.message(data['message_id'])
        if message is not None:
            data['text'] = message.body
    return {
        'id': delivery_id,
        'event_id': event['event_id'],
        'kind': PUBLIC_KINDS[event['kind']],
        'created_at': created_at.isoformat() if created_at else None,
        'ticket': {'id': record.id, 'queue_id': record.queue_id, 'title': record.title, 'status': status},
        'actor': {'id': actor.id, 'username': actor.username, 'display_name': actor.display_name,
                  'role': actor.role} if actor else None,
        'channel': event.get('channel'),
        'data': data,
    }


def body(payload: dict[str, Any]) -> bytes:
    """The exact bytes POSTed (and signed): compact JSON, the same on every attempt."""
    return json.dumps(payload, separators=(',', ':'), ensure_ascii=False, default=_text).encode()


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)
