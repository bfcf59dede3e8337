"""Conversations, their messages and the participants' read markers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from . import execution
from .attachments import AttachmentRepository
from .constraints import refused_as_conflict
from .execution import hot
from .message_writes import ADDED, COUNT_MESSAGE, COUNT_READ_MESSAGE, INSERT_MESSAGE, markers, message_added
from .models import Attachment, Conversation, Message, Queue, ReadMarker, Request, User, WorkflowStatus, utcnow
from .rows import AttachmentRow, ConversationRow, MessageRow, ResponseRow

Counterpart = aliased(User)
Author = aliased(User)
LastMessage = aliased(Message)


class ConversationRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self._participants: dict[int, list[int]] = {}  # by conversation, as the last message added here found them

    async def find(self, request_id: int, counterpart_id: int) -> int | None:
        return await self.connection.scalar(select(Conversation.id).where(
            Conversation.request_id == request_id, Conversation.counterpart_id == counterpart_id))

    async def get(self, conversation_id: int) -> tuple[int, int | None] | None:
        """(request id, counterpart id) of a conversation."""
        row = (await self.connection.execute(select(Conversation.request_id, Conversation.counterpart_id)
                                          .where(Conversation.id == conversation_id))).one_or_none()
        return (row[0], row[1]) if row else None

    @refused_as_conflict
    async def add(self, *, request_id: int, counterpart_id: int | None, participant_ids: list[int]) -> int:
        now = utcnow()
        conversation_id: int = (await self.connection.execute(insert(Conversation.__table__).values(
            request_id=request_id, counterpart_id=counterpart_id, created_at=now, last_message_at=now)
            .returning(Conversation.__table__.c.id))).scalar_one()
        if participant_ids:
            await self.connection.execute(insert(ReadMarker.__table__), [
                {'conversation_id': conversation_id, 'user_id': user_id} for user_id in participant_ids])
        return conversation_id

    @refused_as_conflict
    async def add_message(self, *, conversation_id: int, request_id: int, author_id: int | None, body: str,
                          kind: str = 'text', external_ref: str | None = None,
                          author_name: str | None = None, staff_read: bool = False) -> MessageRow:
        """Append a message; an internal note (kind 'note') leaves the participants' unread counts alone.

        A message that came from outside carries its `external_ref`: the same one twice raises ConstraintConflict.
        `staff_read` (not a note): staff have read the thread up to it, as mark_staff_read would say, in the same
        statement.
        """
        now = utcnow()
        values = {'conversation_id': conversation_id, 'request_id': request_id, 'author_id': author_id, 'body': body,
                  'kind': kind, 'created_at': now, 'external_ref': external_ref}
        if self.connection.dialect.name == 'postgresql':
            rows = await execution.fetch(self.connection, message_added(author_id is not None, kind != 'note',
                                                                         staff_read and kind != 'note'),
                                         {ADDED[name]: value for name, value in values.items()}
                                         | {'in_conversation': conversation_id, 'now': now})
            message_id = rows[0][0]
            self._participants[conversation_id] = [user_id for _id, user_id in rows if user_id is not None]
        else:
            message_id = await self._add_message_apart(values, staff_read=staff_read)
        author = author_name if author_name is not None or not author_id else \
            await self.connection.scalar(select(User.display_name).where(User.id == author_id))
        return MessageRow(message_id, conversation_id, author_id, author or '', kind, body, now)

    async def _add_message_apart(self, values: dict[str, Any], *, staff_read: bool) -> int:
        conversation_id, author_id, kind, now = (values[name] for name in ('conversation_id', 'author_id', 'kind',
                                                                           'created_at'))
        message_id: int = await execution.scalar(self.connection, INSERT_MESSAGE, values)
        if kind != 'note':  # a note is never anyone's "last message" or count: those reach the customer
            await execution.fetch(self.connection, COUNT_READ_MESSAGE if staff_read else COUNT_MESSAGE,
                                  {'conversation_id': conversation_id, 'message_id': message_id, 'now': now})
        # One statement for every participant's marker (see message_writes.markers); it also tells who takes part.
        self._participants[conversation_id] = [user_id for user_id, in await execution.fetch(
            self.connection, markers(author_id is not None, kind != 'note'),
            {'in_conversation': conversation_id, 'author_id': author_id, 'message_id': message_id})]
        return message_id

    async def message(self, message_id: int) -> MessageRow | None:
        """One message with its files, notes included (callers decide who may see it)."""
        row = (await self.connection.execute(
            select(Message.id, Message.conversation_id, Message.author_id, User.display_name, Message.kind,
                   Message.body, Message.created_at)
            .outerjoin(User, User.id == Message.author_id).where(Message.id == message_id))).one_or_none()
        if row is None:
            return None
        files = await AttachmentRepository(self.connection).of_messages([message_id])
        return replace(_message(tuple(row)), attachments=tuple(files[message_id]))

    async def external_exists(self, external_ref: str) -> bool:
        return await self.connection.scalar(select(Message.id).where(Message.external_ref == external_ref)) is not None

    async def participants(self, conversation_id: int) -> list[int]:
        """Who takes part; no read after this unit of work added a message to the conversation."""
        known = self._participants.get(conversation_id)
        if known is not None:
            return known
        return list(await self.connection.scalars(select(ReadMarker.user_id)
                                                  .where(ReadMarker.conversation_id == conversation_id)))

    async def messages(self, conversation_id: int, *, after_id: int = 0, limit: int = 200,
                       include_notes: bool = False, from_start: bool = False) -> list[MessageRow]:
        """Messages after `after_id` in order; from the start, the latest `limit` of them (the first ones with
        `from_start`). Notes for staff only."""
        return await self._thread({'conversation_id': conversation_id}, after_id, limit, include_notes, from_start)

    async def staff_thread(self, request_id: int, *, after_id: int = 0, limit: int = 200,
                           include_notes: bool = False, from_start: bool = False) -> list[MessageRow]:
        """`messages` of the request's thread with staff (none while it has none), found in the same statement."""
        return await self._thread({'request_id': request_id}, after_id, limit, include_notes, from_start)

    async def _thread(self, where: dict[str, int], after_id: int, limit: int, include_notes: bool,
                      from_start: bool) -> list[MessageRow]:
        oldest_first = bool(after_id or from_start)
        found = await execution.fetch(self.connection, thread(include_notes, oldest_first, 'request_id' in where),
                                      where | {'after_id': after_id, 'limit': limit})
        return read_thread(found, oldest_first)

    async def for_request(self, request_id: int, *, viewer_id: int) -> list[ConversationRow]:
        """The request's conversations, newest activity first, with the viewer's unread counts."""
        rows = await self.connection.execute(
            select(Conversation.id, Conversation.request_id, Conversation.counterpart_id, Counterpart.display_name,
                   Conversation.message_count, Conversation.last_message_at, LastMessage.body, LastMessage.author_id,
                   func.coalesce(ReadMarker.unread, 0))
            .outerjoin(Counterpart, Counterpart.id == Conversation.counterpart_id)
            .outerjoin(LastMessage, LastMessage.id == Conversation.last_message_id)
            .outerjoin(ReadMarker, and_(ReadMarker.conversation_id == Conversation.id,
                                        ReadMarker.user_id == viewer_id))
            .where(Conversation.request_id == request_id)
            .order_by(Conversation.last_message_at.desc()).limit(500))
        return [ConversationRow(id, request_id, counterpart_id, counterpart or '', count, last_at, body or '',
                                last_author, unread)
                for id, request_id, counterpart_id, counterpart, count, last_at, body, last_author, unread in rows]

    async def of_responder(self, user_id: int, *, limit: int = 100) -> list[ResponseRow]:
        """Conversations the user started on others' requests, latest activity first."""
        query = _response_rows(user_id, other=Author).join(Author, Author.id == Request.author_id) \
            .where(Conversation.counterpart_id == user_id)
        rows = await self.connection.execute(query.limit(limit))
        return [ResponseRow(*row[:6], row[6] or '', *row[7:]) for row in rows]

    async def of_author(self, user_id: int, *, limit: int = 100) -> list[ResponseRow]:
        """Conversations on the user's own requests, latest activity first."""
        query = _response_rows(user_id, other=Counterpart) \
            .join(Counterpart, Counterpart.id == Conversation.counterpart_id) \
            .where(Request.author_id == user_id)
        rows = await self.connection.execute(query.limit(limit))
        return [ResponseRow(*row[:6], row[6] or '', *row[7:]) for row in rows]

    async def mark_read(self, conversation_id: int, user_id: int) -> bool:
        """Mark everything read; True when something was unread."""
        last_id = await self.connection.scalar(select(Conversation.last_message_id)
                                            .where(Conversation.id == conversation_id)) or 0
        result = await self.connection.execute(
            update(ReadMarker)
            .where(ReadMarker.conversation_id == conversation_id, ReadMarker.user_id == user_id,
                   ReadMarker.last_read_message_id < last_id)
            .values(unread=0, last_read_message_id=last_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def open_ticket(self, queue_id: int, author_id: int) -> tuple[int, int] | None:
        """The author's open ticket in a one-open-per-author queue and its conversation with staff, in one read."""
        row = (await self.connection.execute(_OPEN_TICKET, {'queue_id': queue_id, 'author_id': author_id})).first()
        return (row[0], row[1]) if row else None

    async def staff_conversation(self, request_id: int) -> int | None:
        return await execution.scalar(self.connection, _STAFF_CONVERSATION, {'request_id': request_id})

    async def mark_staff_read(self, conversation_id: int) -> int:
        """Staff have read up to the last message; returns that id (the customer's "read" receipts)."""
        last_id = await self.connection.scalar(select(Conversation.last_message_id)
                                            .where(Conversation.id == conversation_id)) or 0
        await self.connection.execute(update(Conversation).where(Conversation.id == conversation_id,
                                                               Conversation.staff_read_upto < last_id)
                                   .values(staff_read_upto=last_id))
        return last_id

    async def staff_read_upto(self, conversation_id: int) -> int:
        return await self.connection.scalar(select(Conversation.staff_read_upto)
                                         .where(Conversation.id == conversation_id)) or 0

    async def unread_places(self, user_id: int) -> list[tuple[str, bool, int, int]]:
        """Where the user's unread messages are: (queue name, with staff?, a request id there, unread count) for
        each queue and kind of conversation that has any; a few rows, read through the (user_id, unread) index."""
        with_staff = Conversation.counterpart_id.is_(None)
        rows = await self.connection.execute(
            select(Queue.name, with_staff, func.max(Request.id), func.sum(ReadMarker.unread))
            .join(Conversation, Conversation.id == ReadMarker.conversation_id)
            .join(Request, Request.id == Conversation.request_id)
            .join(Queue, Queue.id == Request.queue_id)
            .where(ReadMarker.user_id == user_id, ReadMarker.unread > 0)
            .group_by(Queue.name, with_staff))
        return [(name, bool(staff), int(request_id), int(unread)) for name, staff, request_id, unread in rows]


_OPEN_TICKET = (select(Request.id, Conversation.id)
                .join(Conversation, and_(Conversation.request_id == Request.id, Conversation.counterpart_id.is_(None)))
                .where(Request.queue_id == bindparam('queue_id'), Request.open_key == bindparam('author_id')))


def _response_rows(user_id: int, *, other: type[User]) -> Select:
    return (select(Request.id, Conversation.id, Request.title, WorkflowStatus.name, WorkflowStatus.kind,
                   other.display_name, LastMessage.body, Conversation.last_message_at,
                   func.coalesce(ReadMarker.unread, 0))
            .join(Request, Request.id == Conversation.request_id)
            .join(WorkflowStatus, WorkflowStatus.id == Request.status_id)
            .outerjoin(LastMessage, LastMessage.id == Conversation.last_message_id)
            .outerjoin(ReadMarker, and_(ReadMarker.conversation_id == Conversation.id, ReadMarker.user_id == user_id))
            .order_by(Conversation.last_message_at.desc()))


_STAFF_CONVERSATION = hot(select(Conversation.id).where(Conversation.request_id == bindparam('request_id'),
                                                         Conversation.counterpart_id.is_(None)))


def read_thread(rows: Sequence[Sequence[Any]], oldest_first: bool) -> list[MessageRow]:
    """The messages of `thread`'s rows (a message once per file it has), oldest first."""
    messages: dict[int, MessageRow] = {}
    files: dict[int, list[AttachmentRow]] = {}
    for row in (rows if oldest_first else reversed(rows)):
        message_id = row[0]
        if message_id is None:  # no message at all (see RequestRepository.record_and_thread)
            continue
        if message_id not in messages:
            messages[message_id] = _message(row[:7])
        if row[7] is not None:
            files.setdefault(message_id, []).append(AttachmentRow(*row[7:13]))
    return [replace(m, attachments=tuple(files[m.id])) if m.id in files else m for m in messages.values()]


@cache
def thread(include_notes: bool, oldest_first: bool, by_request: bool) -> Select:
    """A thread's messages after an id, each with its files (a row per file), in one statement; by request, its
    thread with staff. Built once per kind: a ticket's messages are read on every open, and reading them, the
    thread's id and then their files took three round trips."""
    thread = _STAFF_CONVERSATION.scalar_subquery() if by_request else bindparam('conversation_id')
    chosen = (select(Message.id, Message.conversation_id, Message.author_id, Message.kind, Message.body,
                     Message.created_at)
              .where(Message.conversation_id == thread, Message.id > bindparam('after_id')))
    if not include_notes:
        chosen = chosen.where(Message.kind != 'note')
    chosen = chosen.order_by(Message.id if oldest_first else Message.id.desc()) \
        .limit(bindparam('limit', type_=Integer)).subquery()
    files = Attachment.__table__.c
    return hot(select(chosen.c.id, chosen.c.conversation_id, chosen.c.author_id, User.display_name, chosen.c.kind,
                      chosen.c.body, chosen.c.created_at, files.id, files.message_id, files.filename,
                      files.content_type, files.size, files.sha256)
               .outerjoin(User, User.id == chosen.c.author_id)
               .outerjoin(Attachment.__table__, files.message_id == chosen.c.id)
               .order_by(*((chosen.c.id, files.id) if oldest_first else (chosen.c.id.desc(), files.id.desc()))))


def _message(row: tuple) -> MessageRow:
    id, conversation_id, author_id, author, kind, body, created_at = row
    return MessageRow(id, conversation_id, author_id, author or '', kind, body, created_at)
