"""Conversations on a request: responding, answering, reading, and the unread counts behind the badges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain import access, permissions
from domain.coalesce import MANY_KEYS, Coalescer
from domain.errors import ConstraintConflict, InvalidInput, NotFound, PermissionDenied
from domain.events import MessagePosted, RequestChanged, UnreadChanged
from domain.files import FileService, Saved, Upload
from domain.requests.service import RequestService
from domain.requests.unread import Unread
from domain.text import storable
from storage.rows import ConversationRow, MessageRow, RequestRecord, ResponseRow, UserRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

MESSAGE_MAX = 10_000


@dataclass(frozen=True)
class Thread:
    """One conversation as a participant sees it; `conversation_id` is None before the first message."""

    request_id: int
    conversation_id: int | None
    counterpart: str
    messages: list[MessageRow]


class ConversationService:
    def __init__(self, uow: UnitOfWorkFactory, files: FileService, requests: RequestService) -> None:
        self.uow = uow
        self.files = files
        self.requests = requests  # the viewer and the request, from memory (RequestService.readable)
        # The messages every open tab of a conversation re-reads after one is posted, read once for all of them;
        # forgotten on every MessagePosted (see Desk.build), which every way of adding a message emits.
        self.shown: Coalescer[list[MessageRow]] = Coalescer()
        self.threads: Coalescer[Thread] = Coalescer()  # likewise
        # Unread totals by user: every open tab's badge re-reads its user's after a message; forgotten on each
        # MessagePosted (any message may change them) and on the user's UnreadChanged.
        self.unread: Coalescer[Unread] = Coalescer()
        # By conversation: they never change.
        self.counterparts: Coalescer[tuple[int, int | None]] = Coalescer(max_keys=MANY_KEYS, max_age=None)

    async def post(self, *, actor_id: int | None, request_id: int, text: str, conversation_id: int | None = None,
                   files: Sequence[Upload] = ()) -> MessageRow:
        """Respond (no conversation yet) or write in an existing conversation of the request."""
        text = checked_text(text, with_files=bool(files))
        async with self.files.stored(files) as saved:
            try:
                return await self._post(actor_id, request_id, text, conversation_id, saved)
            except ConstraintConflict:
                # Two tabs sent a first response at once: the other one created the conversation; join it.
                return await self._post(actor_id, request_id, text, conversation_id, saved)

    async def _post(self, actor_id: int | None, request_id: int, text: str, conversation_id: int | None,
                    saved: list[Saved]) -> MessageRow:
        actor = await self.requests.signed_in(viewer_id=actor_id)  # from memory; the request is read in here
        # Which request a conversation belongs to, and with whom, never changes: from memory too.
        found = await self._conversation_of(conversation_id) if conversation_id is not None else None
        async with self.uow(write=True) as uow:
            record = await access.readable_request(uow, actor, request_id)
            if record.visibility == 'private':  # a ticket's rules (unread flags, assignment) live in those services
                raise PermissionDenied('Support tickets are answered in the desk or the support chat.')
            if record.closed_at is not None:
                raise PermissionDenied('This request is closed. Reopen it to continue the conversation.')
            if conversation_id is None:
                conversation_id = await self._respond(uow, actor, record)
            else:
                _joined(actor, record, found)
                await uow.requests.touch(record.id)
            message = await uow.conversations.add_message(conversation_id=conversation_id, request_id=record.id,
                                                          author_id=actor.id, body=text,
                                                          author_name=actor.display_name)
            uow.events.add('message.posted', actor_id=actor.id, request_id=record.id,
                           conversation_id=conversation_id, message_id=message.id)
            message = await self.files.record(uow, saved, message, actor_id=actor.id, request_id=record.id)
            uow.emit(MessagePosted(record.id, conversation_id, message.id, actor.id))
            uow.emit(RequestChanged(record.id, record.queue_id))
            for user_id in await uow.conversations.participants(conversation_id):
                uow.emit(UnreadChanged(user_id))
            await uow.commit()
        return message

    @staticmethod
    async def _respond(uow: UnitOfWork, actor: UserRow, record: RequestRecord) -> int:
        if actor.id == record.author_id:
            raise PermissionDenied('You cannot respond to your own request; answer a response instead.')
        if not permissions.can_respond(actor, record):
            raise PermissionDenied('You cannot respond to this request.')
        existing = await uow.conversations.find(record.id, actor.id)
        if existing is not None:
            await uow.requests.touch(record.id)
            return existing
        await uow.requests.touch(record.id, new_response=True)
        return await uow.conversations.add(request_id=record.id, counterpart_id=actor.id,
                                           participant_ids=[record.author_id, actor.id])

    async def thread(self, *, viewer_id: int | None, request_id: int, conversation_id: int | None = None) -> Thread:
        """The viewer's own conversation on a request they responded to, or one named by id.

        A viewer's tabs ask at once when their first response creates the conversation: one read serves them,
        until the next message (forgotten with `shown`)."""
        key = ('thread', viewer_id, request_id, conversation_id)
        found = await self.threads.get(key, lambda: self._thread(viewer_id, request_id, conversation_id))
        return Thread(found.request_id, found.conversation_id, found.counterpart, list(found.messages))

    async def _thread(self, viewer_id: int | None, request_id: int, conversation_id: int | None) -> Thread:
        async with self.uow() as uow:
            viewer = await access.signed_in(uow, viewer_id)
            record = await access.readable_request(uow, viewer, request_id)
            if conversation_id is None:
                conversation_id = await uow.conversations.find(record.id, viewer.id)
                if conversation_id is None:
                    return Thread(record.id, None, record.author, [])
                counterpart = record.author
            else:
                counterpart_id = await _readable(uow, viewer, record, conversation_id)
                counterpart = record.author if viewer.id != record.author_id else await _name(uow, counterpart_id)
            messages = await uow.conversations.messages(conversation_id, include_notes=permissions.is_staff(viewer))
        return Thread(record.id, conversation_id, counterpart, messages)

    async def messages_after(self, *, viewer_id: int | None, request_id: int, conversation_id: int,
                             after_id: int, limit: int = 200, from_start: bool = False) -> list[MessageRow]:
        """Messages after `after_id`; with after_id 0 the latest `limit`, or the first ones `from_start`."""
        viewer, record = await self.requests.readable(viewer_id=viewer_id, request_id=request_id)
        _counterpart(viewer, record, await self._conversation_of(conversation_id))
        key = (conversation_id, after_id, limit, from_start, permissions.is_staff(viewer))
        return list(await self.shown.get(key, lambda: self._messages(*key)))

    async def _conversation_of(self, conversation_id: int) -> tuple[int, int | None]:
        return await self.counterparts.get(conversation_id, lambda: self._conversation(conversation_id))

    async def _conversation(self, conversation_id: int) -> tuple[int, int | None]:
        """(request, counterpart); a missing one raises, so it is not remembered as missing."""
        async with self.uow() as uow:
            found = await uow.conversations.get(conversation_id)
        if found is None:
            raise NotFound('This conversation does not exist.')
        return found

    async def _messages(self, conversation_id: int, after_id: int, limit: int, from_start: bool,
                        include_notes: bool) -> list[MessageRow]:
        async with self.uow() as uow:
            return await uow.conversations.messages(conversation_id, after_id=after_id, limit=limit,
                                                    include_notes=include_notes, from_start=from_start)

    async def of_request(self, *, viewer_id: int | None, request_id: int) -> list[ConversationRow]:
        """The conversations of a request the viewer may read: all for its author and staff, else their own."""
        async with self.uow() as uow:
            viewer = await access.signed_in(uow, viewer_id)
            record = await access.readable_request(uow, viewer, request_id)
            rows = await uow.conversations.for_request(record.id, viewer_id=viewer.id)
        return [row for row in rows if permissions.can_read_conversation(viewer, record, row.counterpart_id)
                and permissions.shows_conversation(viewer, row.message_count)]

    async def responses(self, *, viewer_id: int | None, request_id: int) -> list[ConversationRow]:
        """The conversations on a request, for its author (and staff)."""
        async with self.uow() as uow:
            viewer = await access.signed_in(uow, viewer_id)
            record = await access.readable_request(uow, viewer, request_id)
            if viewer.id != record.author_id and not permissions.is_staff(viewer):
                raise PermissionDenied('Only the author sees all responses.')
            rows = await uow.conversations.for_request(record.id, viewer_id=viewer.id)
        return [row for row in rows if permissions.shows_conversation(viewer, row.message_count)]

    async def mark_read(self, *, viewer_id: int | None, conversation_id: int) -> None:
        async with self.uow(write=True) as uow:
            viewer = await access.signed_in(uow, viewer_id)
            if await uow.conversations.mark_read(conversation_id, viewer.id):
                uow.emit(UnreadChanged(viewer.id))
                await uow.commit()

    async def unread_total(self, *, user_id: int) -> int:
        return (await self.unread_places(user_id=user_id)).total

    async def unread_places(self, *, user_id: int) -> Unread:
        """How many messages the user has not read, and where: the support chat, orders, or responses."""
        return await self.unread.get(user_id, lambda: self._unread_places(user_id))

    async def _unread_places(self, user_id: int) -> Unread:
        async with self.uow() as uow:
            return Unread.of(await uow.conversations.unread_places(user_id))

    async def my_responses(self, *, viewer_id: int | None) -> list[ResponseRow]:
        """Requests of others the viewer responded to."""
        async with self.uow() as uow:
            viewer = await access.signed_in(uow, viewer_id)
            return await uow.conversations.of_responder(viewer.id)

    async def on_my_requests(self, *, viewer_id: int | None) -> list[ResponseRow]:
        """Responses others wrote on the viewer's requests."""
        async with self.uow() as uow:
            viewer = await access.signed_in(uow, viewer_id)
            return await uow.conversations.of_author(viewer.id)


async def _readable(uow: UnitOfWork, viewer: UserRow, record: RequestRecord, conversation_id: int) -> int | None:
    """Check the viewer may read this conversation of this request; returns its counterpart id."""
    return _counterpart(viewer, record, await uow.conversations.get(conversation_id))


def _counterpart(viewer: UserRow, record: RequestRecord, found: tuple[int, int | None] | None) -> int | None:
    """The counterpart of a conversation, given as (request, counterpart), that the viewer may read on `record`."""
    if found is None or found[0] != record.id or not permissions.can_read_conversation(viewer, record, found[1]):
        raise NotFound('This conversation does not exist.')
    return found[1]


def _joined(actor: UserRow, record: RequestRecord, found: tuple[int, int | None] | None) -> None:
    counterpart_id = _counterpart(actor, record, found)
    if not permissions.can_take_part(actor, record, counterpart_id):
        raise PermissionDenied('You are not part of this conversation.')


async def _name(uow: UnitOfWork, user_id: int | None) -> str:
    user = await uow.users.get(user_id) if user_id else None
    return user.display_name if user else ''


def checked_text(text: str, *, with_files: bool = False) -> str:
    text = storable(text).strip()
    if not text and not with_files:
        raise InvalidInput('Write a message first.', field='message')
    if len(text) > MESSAGE_MAX:
        raise InvalidInput('At most {max} characters (now {length}).', field='message', max=MESSAGE_MAX,
                           length=len(text))
    return text
