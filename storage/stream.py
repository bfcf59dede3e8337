"""The live event stream's reads of the event log: rows after a position, with what deciding who may see them needs.

A stream's place is an event's position, which clients see as the event's id; positions are taken and committed in
one order (storage/events.py), so "the rows after position N" never later gains a row below one it already
returned. Each read walks the positions' index from `after` and joins, for its rows only, the request (queue,
visibility, author), the actor's username and, for messages and notes, the message (its kind and text) and its
conversation's counterpart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from .models import Conversation, Event, Message, Queue, Request, User

# The log's kinds a stream carries; the rest (queue, rule and account changes, files) are not about one ticket's
# conversation, or are told by the message they belong to.
STREAMED = ('request.created', 'message.posted', 'note.added', 'status.changed', 'assigned')
NOTE = 'note.added'


@dataclass(frozen=True, eq=False)  # compared by identity: one row object is shared by every stream it goes to
class StreamRow:
    id: int
    kind: str
    request_id: int
    queue_id: int
    visibility: str  # the queue's: public | private
    author_id: int  # the request's author
    title: str
    channel: str
    actor_id: int | None
    actor_username: str | None
    data: dict[str, Any]
    created_at: datetime
    message_kind: str | None  # text | system | note, for message.posted and note.added
    message_body: str | None
    counterpart_id: int | None  # the message's conversation's (None: the staff conversation of a private request)


@dataclass(frozen=True)
class StreamFilter:
    """What one stream narrows the log to in SQL; domain/stream/visibility.py still decides every row."""

    queue_id: int | None = None
    request_id: int | None = None
    reader_id: int | None = None  # a customer: their own requests and public ones, no notes (None: staff)


class StreamRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def last_id(self) -> int:
        """The newest event's position (0 for an empty log): where a stream without a last id starts."""
        return int((await self.connection.execute(select(func.coalesce(func.max(Event.position), 0)))).scalar_one())

    async def after(self, after_id: int, *, limit: int, where: StreamFilter | None = None) -> list[StreamRow]:
        """Up to `limit` streamed rows with positions above `after_id`, oldest first; a row's id is its position."""
        actor = aliased(User)
        message_id = Event.data['message_id'].as_integer()
        statement = (
            select(Event.position, Event.kind, Event.request_id, Request.queue_id, Queue.visibility, Request.author_id,
                   Request.title, Event.channel, Event.actor_id, actor.username, Event.data, Event.created_at,
                   Message.kind, Message.body, Conversation.counterpart_id)
            .join(Request, Request.id == Event.request_id)
            .join(Queue, Queue.id == Request.queue_id)
            .outerjoin(actor, actor.id == Event.actor_id)
            .outerjoin(Message, Message.id == message_id)
            .outerjoin(Conversation, Conversation.id == Message.conversation_id)
            .where(Event.position > after_id, Event.kind.in_(STREAMED))
            .order_by(Event.position).limit(limit))
        if where is not None:
            if where.request_id is not None:
                statement = statement.where(Event.request_id == where.request_id)
            if where.queue_id is not None:
                statement = statement.where(Request.queue_id == where.queue_id)
            if where.reader_id is not None:
                statement = statement.where(or_(Queue.visibility == 'public', Request.author_id == where.reader_id),
                                            Event.kind != NOTE)
        rows = await self.connection.execute(statement)
        return [StreamRow(*row) for row in rows]

    async def queue_exists(self, queue_id: int) -> bool:
        found = await self.connection.execute(select(Queue.id).where(Queue.id == queue_id))
        return found.first() is not None
