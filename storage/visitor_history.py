"""A widget visitor's history handed to another user: their tickets, messages and read markers change owner."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .column_types import utcnow
from .models import Conversation, Message, ReadMarker, Request


@dataclass(frozen=True)
class Moved:
    """What changed: the tickets that now belong to the new owner, and the one merged away (if both had one open)."""

    ticket_ids: tuple[int, ...]
    merged: tuple[int, int] | None  # (emptied ticket, ticket its messages joined)


async def move_history(connection: AsyncConnection, *, from_id: int, to_id: int, queue_id: int,
                       closed_status_id: int) -> Moved:
    """Every ticket of `from_id` becomes `to_id`'s. Where both have an open ticket in `queue_id` (a queue of one
    open ticket per author), the messages of `from_id`'s join `to_id`'s open ticket and the emptied one is closed:
    the customer keeps one open ticket, and every message keeps its id, time and files."""
    merged = None
    theirs = await _open(connection, queue_id, from_id)
    ours = await _open(connection, queue_id, to_id)
    if theirs is not None and ours is not None:
        await connection.execute(update(Message).where(Message.conversation_id == theirs[1])
                                 .values(conversation_id=ours[1], request_id=ours[0]))
        for conversation_id in (theirs[1], ours[1]):
            await _recount(connection, conversation_id)
        now = utcnow()
        await connection.execute(update(Request).where(Request.id == theirs[0]).values(
            status_id=closed_status_id, closed_at=now, status_since=now, updated_at=now, open_key=None))
        await connection.execute(update(Request).where(Request.id == ours[0])
                                 .values(updated_at=now, staff_unread=True))
        merged = (theirs[0], ours[0])
    ticket_ids = tuple(await connection.scalars(select(Request.id).where(Request.author_id == from_id)))
    await connection.execute(update(Request).where(Request.author_id == from_id).values(
        author_id=to_id, open_key=case((Request.open_key.is_(None), None), else_=to_id)))
    await connection.execute(update(Message).where(Message.author_id == from_id).values(author_id=to_id))
    # A conversation both took part in keeps the new owner's marker; the others pass to them.
    already = select(ReadMarker.conversation_id).where(ReadMarker.user_id == to_id).scalar_subquery()
    await connection.execute(update(ReadMarker).where(ReadMarker.user_id == from_id,
                                                      ReadMarker.conversation_id.not_in(already))
                             .values(user_id=to_id))
    await connection.execute(delete(ReadMarker).where(ReadMarker.user_id == from_id))
    return Moved(ticket_ids, merged)


async def _open(connection: AsyncConnection, queue_id: int, author_id: int) -> tuple[int, int] | None:
    row = (await connection.execute(
        select(Request.id, Conversation.id)
        .join(Conversation, and_(Conversation.request_id == Request.id, Conversation.counterpart_id.is_(None)))
        .where(Request.queue_id == queue_id, Request.open_key == author_id))).first()
    return (row[0], row[1]) if row else None


async def _recount(connection: AsyncConnection, conversation_id: int) -> None:
    """Counts and the last message as the messages now say (notes are never counted, as add_message keeps them)."""
    shown = select(func.count(Message.id), func.max(Message.id), func.max(Message.created_at)) \
        .where(Message.conversation_id == conversation_id, Message.kind != 'note')
    count, last_id, last_at = (await connection.execute(shown)).one()
    values: dict[str, object] = {'message_count': count or 0, 'last_message_id': last_id}
    if last_at is not None:
        values['last_message_at'] = last_at
    await connection.execute(update(Conversation).where(Conversation.id == conversation_id).values(**values))
