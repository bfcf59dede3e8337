"""The customer's side of the support desk: one chat, made of their tickets in the Support queue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain import access, permissions
from domain.errors import ConstraintConflict, NotFound, PermissionDenied
from domain.events import MessagePosted, RequestChanged, RequestCreated, Typing, UnreadChanged
from domain.files import FileService, Saved, Upload
from domain.requests import unread
from domain.requests.conversations import checked_text
from domain.requests.service import RequestService
from domain.text import short_title
from storage.rows import MessageRow, QueueRow, RequestRow, UserRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

SUPPORT = unread.SUPPORT
HISTORY_TICKETS = 10
OpenTicket = tuple[int, int] | None  # the customer's open ticket in the queue and its conversation with staff
# Who writes, found in the message's transaction: (the author, their open ticket in `queue`).
Author = Callable[[UnitOfWork, QueueRow], Awaitable[tuple[UserRow, OpenTicket]]]


@dataclass(frozen=True)
class Origin:
    """Where a customer's message came from: the channel, its id there, and what its events carry about it."""

    channel: str = 'web'
    external_ref: str | None = None
    event_data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TicketThread:
    ticket: RequestRow
    conversation_id: int
    messages: list[MessageRow]


@dataclass(frozen=True)
class SupportChat:
    """Earlier tickets first, the open one (if any) last; `read_upto` drives the "read by support" receipts."""

    threads: list[TicketThread]
    open_ticket_id: int | None
    read_upto: int


class SupportService:
    def __init__(self, uow: UnitOfWorkFactory, files: FileService, requests: RequestService) -> None:
        self.uow = uow
        self.files = files
        self.requests = requests  # viewers and requests from memory, for the calls every keystroke or message makes

    async def chat(self, *, viewer_id: int | None, queue_id: int | None = None) -> SupportChat:
        """The viewer's tickets in the Support queue, or in `queue_id` (a chat widget's)."""
        async with self.uow() as uow:
            viewer = await access.signed_in(uow, viewer_id)
            queue = await support_queue(uow, queue_id)
            tickets = await uow.requests.of_author(queue.id, viewer.id, limit=HISTORY_TICKETS)
            threads, read_upto = [], 0
            for ticket in reversed(tickets):  # oldest first, like a chat
                conversation_id = await uow.conversations.staff_conversation(ticket.id)
                if conversation_id is None:
                    continue
                messages = await uow.conversations.messages(conversation_id, limit=100)
                if not messages:  # its messages joined another ticket when a widget visitor signed in
                    continue
                threads.append(TicketThread(ticket, conversation_id, messages))
                read_upto = max(read_upto, await uow.conversations.staff_read_upto(conversation_id))
            open_ticket_id = await uow.requests.open_of_author(queue.id, viewer.id)
        return SupportChat(threads, open_ticket_id, read_upto)

    async def mark_read(self, *, viewer_id: int | None) -> bool:
        """The customer opened their chat: every staff answer in it is read now; True if any was unread."""
        async with self.uow(write=True) as uow:
            viewer = await access.signed_in(uow, viewer_id)
            queue = await support_queue(uow)
            changed = False
            for ticket in await uow.requests.of_author(queue.id, viewer.id, limit=HISTORY_TICKETS):
                conversation_id = await uow.conversations.staff_conversation(ticket.id)
                if conversation_id is not None and await uow.conversations.mark_read(conversation_id, viewer.id):
                    changed = True
            if changed:
                uow.emit(UnreadChanged(viewer.id))
                await uow.commit()
        return changed

    async def is_open(self, *, viewer_id: int | None, ticket_id: int) -> bool:
        """Whether this ticket of the viewer's is open: from memory until it changes, the record typing checks."""
        _viewer, record = await self.requests.readable(viewer_id=viewer_id, request_id=ticket_id)
        return record.closed_at is None

    async def write(self, *, actor_id: int | None, text: str, channel: str = 'web',
                    files: Sequence[Upload] = (), external_ref: str | None = None,
                    event_data: Mapping[str, Any] | None = None, queue_id: int | None = None) -> MessageRow:
        """Add to the customer's open ticket, or open a new one: at most one is open, even under races.

        A message from another channel names its `external_ref` (the same one twice raises ConstraintConflict) and
        what its events should say about where it came from (`event_data`, e.g. the Telegram chat). A chat widget
        names its own queue (`queue_id`); everyone else writes to Support.
        """
        text = checked_text(text, with_files=bool(files))
        actor = await self.requests.signed_in(viewer_id=actor_id)  # from memory, as for every read

        async def author(uow: UnitOfWork, queue: QueueRow) -> tuple[UserRow, OpenTicket]:
            return actor, await uow.conversations.open_ticket(queue.id, actor.id)
        return await self.write_by(author, text=text, files=files, queue_id=queue_id,
                                   origin=Origin(channel, external_ref, dict(event_data or {})))

    async def write_by(self, author: Author, *, text: str, files: Sequence[Upload] = (), origin: Origin = Origin(),
                       queue_id: int | None = None) -> MessageRow:
        """As `write`, with the author found (and anything else written) in the message's own transaction by
        `author`, which returns them and their open ticket in the queue, if any; it runs again after a race."""
        text = checked_text(text, with_files=bool(files))
        async with self.files.stored(files) as saved:
            try:
                return await self._write(author, text, origin, saved, queue_id)
            except ConstraintConflict:
                # Another tab opened the ticket at the same moment; the unique open_key refused ours: join it.
                return await self._write(author, text, origin, saved, queue_id)

    async def _write(self, author: Author, text: str, origin: Origin, saved: list[Saved],
                     queue_id: int | None) -> MessageRow:
        async with self.uow(write=True) as uow:
            queue = await support_queue(uow, queue_id)
            actor, found = await author(uow, queue)
            if found is None:
                ticket_id, conversation_id = await _open_ticket(uow, actor, queue, text, origin)
            else:
                ticket_id, conversation_id = found
                await uow.requests.touch(ticket_id, staff_unread=True)
                uow.emit(RequestChanged(ticket_id, queue.id))
            message = await uow.conversations.add_message(conversation_id=conversation_id, request_id=ticket_id,
                                                          author_id=actor.id, body=text,
                                                          external_ref=origin.external_ref,
                                                          author_name=actor.display_name)
            uow.events.add('message.posted', actor_id=actor.id, request_id=ticket_id, channel=origin.channel,
                           conversation_id=conversation_id, message_id=message.id, **origin.event_data)
            message = await self.files.record(uow, saved, message, actor_id=actor.id, request_id=ticket_id)
            uow.emit(MessagePosted(ticket_id, conversation_id, message.id, actor.id))
            await uow.commit()
        return message

    async def typing(self, *, actor_id: int | None, request_id: int) -> None:
        """Tell the other side someone is typing; nothing is stored."""
        actor, record = await self.requests.readable(viewer_id=actor_id, request_id=request_id)
        if not permissions.can_take_part(actor, record, None):
            raise PermissionDenied('You are not part of this conversation.')
        async with self.uow() as uow:  # stores nothing: one NOTIFY for the other instances, no transaction
            await uow.announce(Typing(request_id, actor.id, permissions.is_staff(actor)))


async def support_queue(uow: UnitOfWork, queue_id: int | None = None) -> QueueRow:
    queue = await (uow.workflows.queue_by_name(SUPPORT) if queue_id is None else uow.workflows.queue(queue_id))
    if queue is None:
        raise NotFound('The support queue is missing: the database was not migrated.')
    return queue


async def _open_ticket(uow: UnitOfWork, customer: UserRow, queue: QueueRow, text: str,
                       origin: Origin) -> tuple[int, int]:
    workflow = await access.workflow(uow, queue.workflow_id)
    title = short_title(text)  # the whole text stays the first message
    ticket_id = await uow.requests.add(queue_id=queue.id, title=title, description='', status_id=workflow.initial.id,
                                       author_id=customer.id, channel=origin.channel, closed=False,
                                       one_open_per_author=True, staff_unread=True)
    conversation_id = await uow.conversations.add(request_id=ticket_id, counterpart_id=None,
                                                  participant_ids=[customer.id])
    uow.events.add('request.created', actor_id=customer.id, request_id=ticket_id, channel=origin.channel,
                   status=workflow.initial.name, **origin.event_data)
    uow.emit(RequestCreated(ticket_id, queue.id))
    return ticket_id, conversation_id
