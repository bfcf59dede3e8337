"""The staff side of the desk: the inbox, a ticket's page, replies, internal notes, assignment, timeline."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from domain import access, permissions
from domain.coalesce import Coalescer
from domain.errors import InvalidInput, PermissionDenied
from domain.events import ConversationRead, MessagePosted, RequestChanged, UnreadChanged
from domain.files import FileService, Upload
from domain.last_rows import LastRows
from domain.requests.conversations import checked_text
from domain.requests.service import RequestService
from domain.text import storable
from domain.tickets.inbox_filters import assignee_filter, shown, status_counts
from domain.tickets.views import DeskOptions, InboxPage, InboxQuery, TicketContext, TicketView
from storage.inbox import InboxFilter
from storage.requests import COUNT_CAP
from storage.rows import EventRow, MessageRow, RequestRecord, StatusRow, TicketRow, UserRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

PAGE_SIZE = 25
ASSIGNEES = ('any', 'me', 'unassigned')  # or a staff member's id

# What anyone else is told (translated like every domain message).
STAFF_ONLY = 'Only staff can work tickets.'


class TicketService:
    def __init__(self, uow: UnitOfWorkFactory, files: FileService, requests: RequestService) -> None:
        self.uow = uow
        self.files = files
        self.requests = requests  # who is signed in, from the shared viewer cache
        self.pages: Coalescer[InboxPage] = Coalescer()  # forgotten on every request event (see Desk.build)
        self.waiting_counts: Coalescer[dict[int | None, int]] = Coalescer()  # likewise
        self._rows: LastRows[TicketRow] = LastRows()

    async def options(self, *, viewer_id: int | None) -> DeskOptions:
        async with self.uow() as uow:
            await access.require_staff(uow, viewer_id, STAFF_ONLY)
            queues = await uow.workflows.private_queues()
            statuses: list[StatusRow] = []
            for workflow_id in dict.fromkeys(queue.workflow_id for queue in queues):
                statuses += await uow.workflows.statuses(workflow_id)
            return DeskOptions(queues, statuses, await uow.users.staff())

    async def inbox(self, *, viewer_id: int | None, query: InboxQuery) -> InboxPage:
        """A page of the inbox; every agent's open inbox re-reads on each change, so identical reads are shared."""
        if query.sort not in ('created', 'updated'):
            raise InvalidInput('Unknown sort order.', field='sort')
        viewer = await self.requests.signed_in(viewer_id=viewer_id)
        if not permissions.is_staff(viewer):
            raise PermissionDenied(STAFF_ONLY)
        key = (query, viewer.id if query.assignee == 'me' else None)
        return await self.pages.get(key, lambda: self._inbox(viewer, query))

    async def _inbox(self, viewer: UserRow, query: InboxQuery) -> InboxPage:
        async with self.uow() as uow:
            queues = await uow.workflows.private_queues()
            queue_ids = tuple(q.id for q in queues if query.queue_id in (None, q.id))
            where = InboxFilter(queue_ids=queue_ids, status_id=query.status_id, open_only=query.open_only,
                                assignee_id=assignee_filter(query.assignee, viewer), channel=query.channel,
                                search=storable(query.search).strip()[:200], sort=query.sort,
                                descending=query.descending)
            statuses = [status for workflow_id in dict.fromkeys(q.workflow_id for q in queues if q.id in queue_ids)
                        for status in await uow.workflows.statuses(workflow_id)]
            counts = dict(zip((status.id for status in statuses), await status_counts(uow, where, statuses),
                              strict=True))
            total = sum(counts[status.id] for status in statuses if shown(where, status))  # what the view shows
            pages = max(1, math.ceil(min(total, COUNT_CAP) / PAGE_SIZE))
            page = min(max(1, query.page), pages)
            rows = await uow.inbox.page(where, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        return InboxPage([self._rows.kept(row) for row in rows], counts, page, pages, min(total, COUNT_CAP))

    async def waiting(self, *, viewer_id: int | None) -> int:
        """Open tickets waiting for this agent: the customer wrote since staff last read, and the ticket is theirs or
        nobody's yet (the drawer's count); every agent's drawer re-reads on each change, so they share one read."""
        viewer = await self.requests.signed_in(viewer_id=viewer_id)
        if not permissions.is_staff(viewer):
            raise PermissionDenied(STAFF_ONLY)
        counts = await self.waiting_counts.get('all', self._waiting)
        return counts.get(None, 0) + counts.get(viewer.id, 0)

    async def _waiting(self) -> dict[int | None, int]:
        async with self.uow() as uow:
            queue_ids = tuple(queue.id for queue in await uow.workflows.private_queues())
            return await uow.inbox.waiting(queue_ids) if queue_ids else {}

    async def row(self, *, viewer_id: int | None, request_id: int) -> TicketRow | None:
        async with self.uow() as uow:
            await access.require_staff(uow, viewer_id, STAFF_ONLY)
            return await uow.inbox.row(request_id)

    async def ticket(self, *, viewer_id: int | None, request_id: int) -> TicketView:
        async with self.uow() as uow:
            viewer = await access.require_staff(uow, viewer_id, STAFF_ONLY)
            record = await access.readable_request(uow, viewer, request_id)
            workflow = await access.workflow(uow, record.workflow_id)
            conversation_id = await uow.conversations.staff_conversation(record.id)
            messages = await uow.conversations.messages(conversation_id, include_notes=True) \
                if conversation_id else []
            others = [row for row in await uow.requests.of_author(record.queue_id, record.author_id, limit=20)
                      if row.id != record.id]
            agents = await uow.users.staff()
        return TicketView(record, workflow.status(record.status_id), workflow.next_statuses(record.status_id),
                          conversation_id, messages, others, agents)

    async def reply(self, *, actor_id: int | None, request_id: int, text: str, note: bool = False,
                    files: Sequence[Upload] = (), actor: UserRow | None = None) -> MessageRow:
        """Answer the customer, or add an internal note they never see; answering binds an unassigned ticket.

        `actor`: the signed-in staff member with `actor_id` as the caller already has them (the shared viewer cache,
        forgotten whenever their account changes): one read less on every reply through the API."""
        text = checked_text(text, with_files=bool(files))
        async with self.files.stored(files) as saved, self.uow(write=True) as uow:
            if actor is None or actor.id != actor_id or not actor.is_active or not permissions.is_staff(actor):
                actor = await access.require_staff(uow, actor_id, STAFF_ONLY)
            record = await access.readable_request(uow, actor, request_id, with_thread=True)
            taking = not note and record.assignee_id is None
            if taking:  # its event first: the timeline reads "took it", then the answer
                _assigned(uow, record, actor, actor_id=actor.id)
            # An answer leaves nothing unread for staff: their thread read up to it in the statement that counts it,
            # the ticket no longer flagged in the one that moves it up.
            message = await _post(uow, record, text, author_id=actor.id, note=note, author_name=actor.display_name,
                                  staff_read=not note)
            conversation_id = message.conversation_id
            message = await self.files.record(uow, saved, message, actor_id=actor.id, request_id=record.id)
            await uow.requests.touch(record.id, staff_unread=None if note else False)
            if not note:
                uow.emit(ConversationRead(record.id, conversation_id, message.id))
                uow.emit(UnreadChanged(record.author_id))
            if taking:
                # Last before the commit: it moves the ticket between per-status counts (storage ticket_counts), a
                # row every ticket taken at the moment updates too, locked until commit. Taken first, twenty agents'
                # first answers queued behind each other's whole transactions (bench/live_load.py scenario 8).
                await uow.requests.assign(record.id, actor.id)
            uow.emit(MessagePosted(record.id, conversation_id, message.id, actor.id))
            uow.emit(RequestChanged(record.id, record.queue_id))
            await uow.commit()
        return message

    async def assign(self, *, actor_id: int | None, request_id: int, assignee_id: int | None) -> None:
        async with self.uow(write=True) as uow:
            actor = await access.require_staff(uow, actor_id, STAFF_ONLY)
            record = await access.readable_request(uow, actor, request_id)
            assignee = await active_agent(uow, assignee_id) if assignee_id is not None else None
            if record.assignee_id == assignee_id:
                return
            await assign_to(uow, record, assignee, actor_id=actor.id)
            uow.emit(RequestChanged(record.id, record.queue_id))
            await uow.commit()

    async def take(self, *, actor_id: int | None, request_id: int) -> None:
        await self.assign(actor_id=actor_id, request_id=request_id, assignee_id=actor_id)

    async def mark_read(self, *, viewer_id: int | None, request_id: int) -> None:
        """A staff member has read the ticket: it stops standing out, the customer sees "read"."""
        async with self.uow(write=True) as uow:
            viewer = await access.require_staff(uow, viewer_id, STAFF_ONLY)
            record = await access.readable_request(uow, viewer, request_id)
            conversation_id = await uow.conversations.staff_conversation(record.id)
            if conversation_id is None:
                return
            await _staff_read(uow, record.id, conversation_id)
            if record.staff_unread:
                uow.emit(RequestChanged(record.id, record.queue_id))
            await uow.commit()

    async def context(self, *, viewer_id: int | None, request_id: int, after_event_id: int = 0) -> TicketContext:
        """The right pane's read after a change, in one unit of work. It was two, the ticket's view and its whole
        timeline, and the view read the whole thread too, which that pane does not show: each agent's pane reads on
        every change of its ticket, twenty at once when the agents of bench/live_load.py scenario 8 answer."""
        async with self.uow() as uow:
            viewer = await access.require_staff(uow, viewer_id, STAFF_ONLY)
            record = await access.readable_request(uow, viewer, request_id)
            workflow = await access.workflow(uow, record.workflow_id)
            agents = await uow.users.staff()
            events = await uow.events.for_request(record.id, after_id=after_event_id)
        return TicketContext(record, workflow.status(record.status_id), workflow.next_statuses(record.status_id),
                             agents, events)

    async def timeline(self, *, viewer_id: int | None, request_id: int) -> list[EventRow]:
        async with self.uow() as uow:
            viewer = await access.require_staff(uow, viewer_id, STAFF_ONLY)
            record = await access.readable_request(uow, viewer, request_id)
            return await uow.events.for_request(record.id)


async def active_agent(uow: UnitOfWork, user_id: int) -> UserRow:
    """The staff member a ticket may go to: tickets go to active agents and admins only."""
    assignee = await uow.users.get(user_id)
    if assignee is None or not assignee.is_active or not permissions.is_staff(assignee):
        raise InvalidInput('Tickets go to active agents only.', field='assignee')
    return assignee


async def assign_to(uow: UnitOfWork, record: RequestRecord, assignee: UserRow | None, *, actor_id: int | None,
                    channel: str = 'web', **data: Any) -> None:
    """Assign in the caller's transaction; who may was checked by the caller (a rule: `actor_id` None)."""
    await uow.requests.assign(record.id, assignee.id if assignee else None)
    _assigned(uow, record, assignee, actor_id=actor_id, channel=channel, **data)


def _assigned(uow: UnitOfWork, record: RequestRecord, assignee: UserRow | None, *, actor_id: int | None,
              channel: str = 'web', **data: Any) -> None:
    """The assignment's event: "took it" on the timeline."""
    uow.events.add('assigned', actor_id=actor_id, request_id=record.id, channel=channel,
                   **{'from': record.assignee, 'to': assignee.display_name if assignee else None,
                      'to_id': assignee.id if assignee else None}, **data)


async def add_note(uow: UnitOfWork, record: RequestRecord, text: str, *, author_id: int | None,
                   channel: str = 'web', **data: Any) -> MessageRow:
    """An internal note in the caller's transaction (a rule's: `author_id` None); only staff ever see it."""
    message = await _post(uow, record, text, author_id=author_id, note=True, channel=channel, **data)
    await uow.requests.touch(record.id)
    uow.emit(MessagePosted(record.id, message.conversation_id, message.id, author_id or 0))
    uow.emit(RequestChanged(record.id, record.queue_id))
    return message


async def _post(uow: UnitOfWork, record: RequestRecord, text: str, *, author_id: int | None, note: bool,
                channel: str = 'web', author_name: str | None = None, staff_read: bool = False,
                **data: Any) -> MessageRow:
    """A message or note in the ticket's staff conversation, and its event (before its files', so the timeline
    reads in order); `author_name` when the caller knows it (no read of it then); `staff_read`: staff have read
    the thread up to it (see ConversationRepository.add_message)."""
    conversation_id = record.thread_id or await uow.conversations.staff_conversation(record.id) or \
        await uow.conversations.add(request_id=record.id, counterpart_id=None, participant_ids=[record.author_id])
    message = await uow.conversations.add_message(conversation_id=conversation_id, request_id=record.id,
                                                  author_id=author_id, body=text, kind='note' if note else 'text',
                                                  author_name=author_name, staff_read=staff_read)
    if note:
        uow.events.add('note.added', actor_id=author_id, request_id=record.id, channel=channel,
                       message_id=message.id, **data)
    else:
        uow.events.add('message.posted', actor_id=author_id, request_id=record.id, channel=channel,
                       conversation_id=conversation_id, message_id=message.id, **data)
    return message


async def _staff_read(uow: UnitOfWork, request_id: int, conversation_id: int) -> None:
    """Staff have read the thread: the request no longer stands out."""
    upto = await uow.conversations.mark_staff_read(conversation_id)
    await uow.requests.set_staff_unread(request_id, False)
    uow.emit(ConversationRead(request_id, conversation_id, upto))
