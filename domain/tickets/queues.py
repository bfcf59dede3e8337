"""Tickets in every queue, as API clients work them: one list with the inbox's filters, filing, writing, messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from domain import access, permissions
from domain.errors import Conflict, ConstraintConflict, InvalidInput, NotFound, PermissionDenied
from domain.events import MessagePosted, RequestChanged, RequestCreated
from domain.files import FileService, Upload
from domain.requests.conversations import checked_text
from domain.requests.service import RequestService, checked_description, checked_title
from domain.slices import Slice, bounded, sliced
from domain.text import storable
from domain.tickets.service import TicketService
from storage.inbox import UNASSIGNED
from storage.rows import MessageRow, StatusRow, UserRow
from storage.tickets import TicketFilter, TicketListRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from storage.workflows import QueueFacts

KINDS = ('open', 'active', 'closed')
NOBODY = 0  # a user filter naming nobody who exists: ids start at 1, so it matches no row
UserRef = int | str  # an id, a username, or 'me' ('none' too, for the assignee)


@dataclass(frozen=True)
class TicketQuery:
    queue_id: int | None = None
    status_id: int | None = None
    kinds: tuple[str, ...] = ()  # any status of these kinds: open | active | closed; none: any status
    assignee: UserRef | None = None  # None: anyone; 'none': nobody has it
    customer: UserRef | None = None
    channel: str | None = None
    search: str = ''
    created_from: datetime | None = None
    created_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    sort: str = 'updated'
    descending: bool = True


@dataclass(frozen=True)
class StatusCount:
    status: StatusRow
    count: int  # capped at COUNT_CAP + 1


@dataclass(frozen=True)
class TicketList:
    rows: list[TicketListRow]
    more: bool
    counts: list[StatusCount] | None  # per status in the queues looked at, with every filter but the status one


class QueueTicketService:
    def __init__(self, uow: UnitOfWorkFactory, files: FileService, requests: RequestService,
                 tickets: TicketService) -> None:
        self.uow = uow
        self.files = files
        self.requests = requests
        self.tickets = tickets  # the desk's own replies, notes and assignment

    async def browse(self, *, viewer_id: int | None, query: TicketQuery, after: tuple[datetime, int] | None = None,
                     limit: int = 25, counted: bool = True) -> TicketList:
        """Tickets the viewer may see: staff every queue's, a customer their own (and a public queue's, by id)."""
        if query.sort not in ('created', 'updated'):
            raise InvalidInput('Unknown sort order.', field='sort')
        if any(kind not in KINDS for kind in query.kinds):
            raise InvalidInput('Unknown kind of status.', field='kind')
        limit = bounded(limit)
        # The viewer from memory until their account changes (as the pages and GET /tickets/{id} read them): one
        # statement less on every list call.
        viewer = await self.requests.signed_in(viewer_id=viewer_id)
        async with self.uow() as uow:
            queues = await uow.workflows.queues()
            looked_at, author_id = _scope(viewer, queues, query.queue_id)
            asked = await _user_id(uow, viewer, query.customer)
            if asked is not None and author_id is not None and asked != author_id:
                looked_at = []  # a customer asking for someone else's tickets outside a public queue: none
            where = TicketFilter(
                queue_ids=None if looked_at is queues else tuple(q.id for q in looked_at),
                assignee_id=await _user_id(uow, viewer, query.assignee), author_id=author_id or asked,
                channel=query.channel, search=storable(query.search).strip()[:200],
                created_from=_utc(query.created_from), created_to=_utc(query.created_to),
                updated_from=_utc(query.updated_from), updated_to=_utc(query.updated_to),
                sort=query.sort, descending=query.descending)
            statuses = await _statuses(uow, looked_at)
            chosen = tuple(status.id for status, _queue_ids in statuses
                           if query.status_id in (None, status.id) and (not query.kinds or status.kind in query.kinds))
            if query.status_id is not None or query.kinds:
                # Closed statuses always set closed_at: without them, the partial open-ticket indexes serve the list.
                open_only = bool(query.kinds) and 'closed' not in query.kinds
                where = replace(where, status_ids=chosen, open_only=open_only)
            # Each on the (queue, status, …) indexes: a status belongs to its workflow's queues only. Counted in the
            # page's statement where one statement counts them all.
            per_status = [replace(where, status_ids=(status.id,), open_only=False, queue_ids=queue_ids)
                          for status, queue_ids in statuses] if counted else []
            rows, numbers = await uow.tickets.page_and_counts(where, limit=limit + 1, after=after, counted=per_status)
            counts = [StatusCount(status, number)
                      for (status, _queue_ids), number in zip(statuses, numbers, strict=True)] if counted else None
        found = sliced(rows, limit)
        return TicketList(found.rows, found.more, counts)

    async def file(self, *, actor_id: int | None, queue_id: int, title: str, text: str = '',
                   customer: UserRef | None = None, channel: str = 'api') -> int:
        """File a ticket in a queue (staff: for a customer too); `text` is what it is about."""
        title, description = checked_title(title), checked_description(text)
        async with self.uow(write=True) as uow:
            actor = await access.signed_in(uow, actor_id)
            queue = _queue(await uow.workflows.queues(), queue_id)
            if queue.has_fields:
                raise InvalidInput('Requests in {queue} are filed through their own form.', field='queue_id',
                                   queue=queue.name)
            author = actor
            if customer is not None and await _user_id(uow, actor, customer) != actor.id:
                if not permissions.is_staff(actor):
                    raise PermissionDenied('Only staff file tickets for someone else.')
                author = await _customer(uow, actor, customer)
            status = (await access.workflow(uow, queue.workflow_id)).initial
            try:
                request_id = await uow.requests.add(
                    queue_id=queue.id, title=title, description=description, status_id=status.id,
                    author_id=author.id, channel=channel, closed=status.kind == 'closed',
                    one_open_per_author=queue.one_open_per_author,
                    staff_unread=queue.visibility == 'private' and not permissions.is_staff(actor))
            except ConstraintConflict:
                raise Conflict('{name} already has an open ticket in {queue}.', field='queue_id',
                               name=author.display_name, queue=queue.name) from None
            data = {'for_customer': author.id} if author.id != actor.id else {}
            uow.events.add('request.created', actor_id=actor.id, request_id=request_id, channel=channel,
                           status=status.name, **data)
            if queue.visibility == 'private':  # the ticket's thread with staff, as the support chat opens it
                conversation_id = await uow.conversations.add(request_id=request_id, counterpart_id=None,
                                                              participant_ids=[author.id])
                if queue.one_open_per_author and description:  # a support desk shows the chat, not a description
                    await _message(uow, request_id, conversation_id, actor, description, channel)
            uow.emit(RequestCreated(request_id, queue.id))
            await uow.commit()
        return request_id

    async def write(self, *, actor_id: int | None, request_id: int, text: str, note: bool = False,
                    files: Sequence[Upload] = ()) -> MessageRow:
        """Staff reply or note as on the ticket page; the customer writes in their own ticket's thread with staff."""
        actor = await self.requests.signed_in(viewer_id=actor_id)
        if permissions.is_staff(actor):
            return await self.tickets.reply(actor_id=actor.id, request_id=request_id, text=text, note=note,
                                            files=files, actor=actor)
        if note:
            raise PermissionDenied('Internal notes are for staff only.')
        text = checked_text(text, with_files=bool(files))
        async with self.files.stored(files) as saved, self.uow(write=True) as uow:
            record = await access.readable_request(uow, actor, request_id, with_thread=True)
            if record.author_id != actor.id or record.visibility != 'private':
                raise PermissionDenied('Only its customer and staff write in a ticket; on the board, respond '
                                       'through the request\'s conversations.')
            if record.closed_at is not None:
                raise PermissionDenied('This ticket is closed. Reopen it to continue the conversation.')
            conversation_id = record.thread_id or await uow.conversations.staff_conversation(record.id) or \
                await uow.conversations.add(request_id=record.id, counterpart_id=None, participant_ids=[actor.id])
            message = await _message(uow, record.id, conversation_id, actor, text, 'api')
            message = await self.files.record(uow, saved, message, actor_id=actor.id, request_id=record.id)
            await uow.requests.touch(record.id, staff_unread=True)
            uow.emit(MessagePosted(record.id, conversation_id, message.id, actor.id))
            uow.emit(RequestChanged(record.id, record.queue_id))
            await uow.commit()
        return message

    async def messages(self, *, viewer_id: int | None, request_id: int, after_id: int = 0,
                       limit: int = 25) -> Slice[MessageRow]:
        """The ticket's thread with staff, oldest first, after `after_id`; internal notes for staff only."""
        limit = bounded(limit)
        # The viewer from memory; the ticket read here, in this connection: the shared cache of tickets reads a
        # missing one in a task of its own, with a connection of its own, and under load those waits (one more
        # turn of the event loop, one more connection from the pool) cost more time than the statement.
        viewer = await self.requests.signed_in(viewer_id=viewer_id)
        staff = permissions.is_staff(viewer)
        async with self.uow() as uow:
            # The ticket, and its thread's messages and their files (none while it has no thread: the first message
            # starts it), in one statement; the messages go nowhere unless the viewer may read them.
            found, rows = await uow.requests.record_and_thread(request_id, after_id=after_id, limit=limit + 1,
                                                               include_notes=staff)
        record = access.readable(viewer, found)
        if not staff and viewer.id != record.author_id:
            raise PermissionDenied('You are not part of this conversation.')
        return sliced(rows, limit)

    async def assign(self, *, actor_id: int | None, request_id: int, assignee: UserRef | None) -> None:
        """Give the ticket to a staff member named by id or username ('me' too), or to nobody."""
        assignee_id = None
        if assignee is not None:
            async with self.uow() as uow:
                viewer = await access.signed_in(uow, actor_id)
                assignee_id = await _user_id(uow, viewer, assignee)
            if assignee_id in (None, NOBODY, UNASSIGNED):
                raise InvalidInput('Tickets go to active agents only.', field='assignee')
        await self.tickets.assign(actor_id=actor_id, request_id=request_id, assignee_id=assignee_id)


def _scope(viewer: UserRow, queues: list[QueueFacts], queue_id: int | None) -> tuple[list[QueueFacts], int | None]:
    """The queues looked at, and whose tickets only: staff see every ticket, a customer their own, and the whole
    of a public queue they name (the board)."""
    looked_at = queues if queue_id is None else [q for q in queues if q.id == queue_id]
    if queue_id is not None and not looked_at:
        raise NotFound('This queue does not exist.', field='queue_id')
    if permissions.is_staff(viewer) or (queue_id is not None and looked_at[0].visibility == 'public'):
        return looked_at, None
    return looked_at, viewer.id


async def _statuses(uow: UnitOfWork, queues: list[QueueFacts]) -> list[tuple[StatusRow, tuple[int, ...]]]:
    """Each status of the queues' workflows, with the queues (of these) it can be found in."""
    found: list[tuple[StatusRow, tuple[int, ...]]] = []
    for workflow_id in dict.fromkeys(q.workflow_id for q in queues):
        queue_ids = tuple(q.id for q in queues if q.workflow_id == workflow_id)
        found += [(status, queue_ids) for status in await uow.workflows.statuses(workflow_id)]
    return found


def _queue(queues: list[QueueFacts], queue_id: int) -> QueueFacts:
    queue = next((q for q in queues if q.id == queue_id), None)
    if queue is None:
        raise NotFound('This queue does not exist.', field='queue_id')
    return queue


async def _user_id(uow: UnitOfWork, viewer: UserRow, ref: UserRef | None) -> int | None:
    """The id a user filter names: NOBODY for an unknown username, UNASSIGNED for 'none', None for anyone."""
    if ref is None:
        return None
    if ref == 'me':
        return viewer.id
    if ref == 'none':
        return UNASSIGNED
    if isinstance(ref, int):
        return ref
    found = await uow.users.credentials(storable(ref).casefold())
    return found[0].id if found else NOBODY


async def _customer(uow: UnitOfWork, actor: UserRow, ref: UserRef) -> UserRow:
    user_id = await _user_id(uow, actor, ref)
    user = await uow.users.get(user_id) if user_id and user_id > 0 else None
    if user is None or not user.is_active:
        raise NotFound('There is no such active user.', field='customer')
    return user


async def _message(uow: UnitOfWork, request_id: int, conversation_id: int, author: UserRow, text: str,
                   channel: str) -> MessageRow:
    message = await uow.conversations.add_message(conversation_id=conversation_id, request_id=request_id,
                                                  author_id=author.id, body=text, author_name=author.display_name)
    uow.events.add('message.posted', actor_id=author.id, request_id=request_id, channel=channel,
                   conversation_id=conversation_id, message_id=message.id)
    return message


def _utc(moment: datetime | None) -> datetime | None:
    """A moment the database can compare: naive ones are UTC; past the calendar's ends, its ends."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC) if moment.year > 1 else datetime.min.replace(tzinfo=UTC)
