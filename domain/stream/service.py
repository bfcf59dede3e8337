"""Opening and ending API clients' event streams: who is reading, from which id, narrowed to what."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

from domain import access
from domain.accounts.tokens import TokenService
from domain.errors import InvalidInput, NotFound, NotSignedIn
from domain.events import SessionsRevoked
from domain.hub import EventHub
from storage.rows import UserRow
from storage.stream import StreamFilter, StreamRepository, StreamRow
from storage.unit_of_work import UnitOfWorkFactory

from .subscription import Scope, StreamEnded, Subscription
from .tail import Tail

SHUTTING_DOWN = 'The server is stopping; connect again with your last event id.'


class EventStreamService:
    def __init__(self, uow: UnitOfWorkFactory, hub: EventHub, tokens: TokenService) -> None:
        self.uow = uow
        self.hub = hub
        self.tokens = tokens
        self.tail = Tail(hub, read=self._tail_rows, last_id=self.last_id)
        self._open: set[Subscription] = set()

    @contextlib.asynccontextmanager
    async def open(self, *, access_token: str | None, last_event_id: int | None = None, queue_id: int | None = None,
                   ticket_id: int | None = None) -> AsyncIterator[Subscription]:
        """A stream of what the token's user may see, after `last_event_id` (None: from now on).

        Raises NotSignedIn, NotFound (a ticket they may not read, a queue that does not exist) or InvalidInput (an
        id newer than the newest event: a cursor of another database, which would skip everything until then)."""
        reader = await self.tokens.user(access_token)
        await self._check_scope(reader, queue_id, ticket_id)
        if last_event_id is not None and last_event_id > await self.last_id():
            raise InvalidInput('This event id is newer than any event.', field='Last-Event-ID')
        subscription = Subscription(reader, 0, Scope(queue_id, ticket_id), read=self._rows,
                                    check=lambda: self._still_signed_in(access_token))
        position = await self.tail.join(subscription)
        unsubscribe: Callable[[], None] | None = None
        try:
            subscription.cursor = position if last_event_id is None else last_event_id
            unsubscribe = self.hub.subscribe(SessionsRevoked, subscription.recheck, key=reader.id)
            self._open.add(subscription)
            yield subscription
        finally:
            self._open.discard(subscription)
            if unsubscribe is not None:
                unsubscribe()
            self.tail.leave(subscription)

    async def stop(self) -> None:
        """End every open stream (the server is stopping) and the tail's reading."""
        for subscription in list(self._open):
            subscription.end('unavailable', SHUTTING_DOWN)
        await self.tail.stop()

    async def _still_signed_in(self, access_token: str | None) -> UserRow:
        try:
            return await self.tokens.user(access_token)
        except NotSignedIn as ended:
            raise StreamEnded('not_signed_in', str(ended)) from None

    async def _check_scope(self, reader: UserRow, queue_id: int | None, ticket_id: int | None) -> None:
        async with self.uow() as uow:
            if ticket_id is not None:
                await access.readable_request(uow, reader, ticket_id)
            if queue_id is not None and not await StreamRepository(uow.connection).queue_exists(queue_id):
                raise NotFound('This queue does not exist.', field='queue_id')

    async def last_id(self) -> int:
        """The newest event's id: a client that wants everything from here on may pass it as its last id."""
        async with self.uow() as uow:
            return await StreamRepository(uow.connection).last_id()

    async def _tail_rows(self, after_id: int, limit: int) -> list[StreamRow]:
        async with self.uow() as uow:
            return await StreamRepository(uow.connection).after(after_id, limit=limit)

    async def _rows(self, after_id: int, limit: int, where: StreamFilter) -> list[StreamRow]:
        async with self.uow() as uow:
            return await StreamRepository(uow.connection).after(after_id, limit=limit, where=where)
