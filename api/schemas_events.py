"""The live event stream's event as a client receives it: the documented example, and its shape as a model (the
stream's tests check every event they receive against it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

EventKind = Literal['ticket.created', 'message.posted', 'note.added', 'status.changed', 'ticket.assigned']
EXAMPLE: dict[str, Any] = {
    'id': 4711, 'kind': 'message.posted', 'ticket_id': 42, 'queue_id': 2, 'created_at': '2026-12-07T09:30:00+00:00',
    'actor': {'id': 7, 'username': 'alice'},
    'data': {'message_id': 901, 'conversation_id': 55, 'channel': 'api', 'text': 'My order has not arrived.'}}


class ActorOut(BaseModel):
    id: int
    username: str | None


class EventOut(BaseModel):
    """One event. `id` only grows: send the last one you received as `Last-Event-ID` to resume."""

    model_config = {'json_schema_extra': {'examples': [EXAMPLE]}}

    id: int
    kind: EventKind
    ticket_id: int
    queue_id: int
    created_at: datetime
    actor: ActorOut | None = Field(description='Who did it; null for automation (rules)')
    data: dict[str, Any] = Field(description='ticket.created: title, status, channel; message.posted: message_id, '
                                             'conversation_id, channel, text; note.added (staff only): message_id, '
                                             'channel, text; status.changed and ticket.assigned: from, to (names)')

