"""What one event looks like to the outside (API streams now, outgoing webhooks later): one shape for both."""

from __future__ import annotations

import json
import weakref
from typing import Any

from storage.stream import StreamRow

# The log's kind -> the name clients see. The log says `request.created` and `assigned` for every queue; clients of
# /api/v1 know requests in every queue as tickets.
KINDS = {'request.created': 'ticket.created', 'message.posted': 'message.posted', 'note.added': 'note.added',
         'status.changed': 'status.changed', 'assigned': 'ticket.assigned'}
MESSAGES = frozenset({'message.posted', 'note.added'})


def payload(row: StreamRow, *, with_text: bool) -> dict[str, Any]:
    """The event as JSON; a message's or note's text only `with_text` (the reader may read that conversation)."""
    return {'id': row.id, 'kind': KINDS[row.kind], 'ticket_id': row.request_id, 'queue_id': row.queue_id,
            'created_at': row.created_at.isoformat(),
            'actor': {'id': row.actor_id, 'username': row.actor_username} if row.actor_id is not None else None,
            'data': _data(row, with_text)}


def as_json(row: StreamRow, *, with_text: bool) -> str:
    """`payload` as JSON text, made once per row and kind of reader however many streams send it: the tail hands
    the same row object to every stream."""
    cache = _with_text if with_text else _without_text
    text = cache.get(row)
    if text is None:
        text = cache[row] = json.dumps(payload(row, with_text=with_text), ensure_ascii=False, separators=(',', ':'))
    return text


_with_text: weakref.WeakKeyDictionary[StreamRow, str] = weakref.WeakKeyDictionary()
_without_text: weakref.WeakKeyDictionary[StreamRow, str] = weakref.WeakKeyDictionary()


def _data(row: StreamRow, with_text: bool) -> dict[str, Any]:
    logged = row.data
    if row.kind == 'request.created':
        return {'title': row.title, 'status': logged.get('status'), 'channel': row.channel}
    if row.kind in MESSAGES:
        data: dict[str, Any] = {'message_id': logged.get('message_id'), 'channel': row.channel}
        if row.kind == 'message.posted':
            data['conversation_id'] = logged.get('conversation_id')
        if with_text:
            data['text'] = row.message_body  # None when the message is gone (its request was deleted meanwhile)
        return data
    return {'from': logged.get('from'), 'to': logged.get('to')}  # status.changed: status names; assigned: user names
