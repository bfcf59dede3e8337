"""One client's stream: the log after its last id (replayed from the database), then the tail's live rows.

The seam holds no gap and no duplicate: the stream joins the tail first, so every row after the tail's position
at that moment is pushed to it; the replay then reads the committed rows after the client's id, which include
every row up to that position; rows at or below the stream's cursor are dropped, so nothing comes twice. A stream
whose client reads slower than the log grows drops its buffer and replays from its cursor again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import NamedTuple

from domain import permissions
from storage.rows import UserRow
from storage.stream import StreamFilter, StreamRow

from .shape import as_json
from .visibility import may_see

REPLAY_BATCH = 200
BUFFER_MAX = 5_000  # live rows held for a slow client before it falls back to reading the database
CHECK_EVERY = 10.0  # seconds between checks that the token still holds (an expired one ends the stream)
IDLE = 15.0  # seconds `next` waits before it returns nothing: time for a keep-alive


class StreamEnded(Exception):
    """The stream is over: the reader's sign-in ended (code `not_signed_in`) or the server is stopping."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Scope:
    """What a stream carries: one queue's events, one ticket's, or all the reader may see."""

    queue_id: int | None = None
    ticket_id: int | None = None

    def covers(self, row: StreamRow) -> bool:
        return (self.queue_id is None or row.queue_id == self.queue_id) and \
            (self.ticket_id is None or row.request_id == self.ticket_id)


class Outgoing(NamedTuple):
    id: int
    json: str  # the event as domain.stream.shape.payload makes it, as JSON text


Reader = Callable[[int, int, StreamFilter], Awaitable[list[StreamRow]]]  # (after id, limit, filter) -> rows
Checker = Callable[[], Awaitable[UserRow]]  # the reader as they are now; raises StreamEnded once signed out


class Subscription:
    def __init__(self, reader: UserRow, cursor: int, scope: Scope, *, read: Reader, check: Checker) -> None:
        self.reader = reader
        self.cursor = cursor  # the last id this stream has handed out (or skipped as not visible)
        self.scope = scope
        self._read = read
        self._check = check
        self._buffer: deque[StreamRow] = deque()
        self._replaying = True
        self._overflowed = False  # the buffer was dropped during a replay's read: that read may not cover it
        self._ended: StreamEnded | None = None
        self._recheck = False
        self._woken = asyncio.Event()
        self._checked_at = asyncio.get_running_loop().time()  # the token was checked as the stream opened

    def push(self, rows: list[StreamRow]) -> None:
        """New log rows from the tail (called for every stream: keep it cheap)."""
        if len(self._buffer) + len(rows) > BUFFER_MAX:
            self._buffer.clear()  # the database still has them: read them from there
            self._replaying = self._overflowed = True
        else:
            self._buffer.extend(row for row in rows if self.scope.covers(row))
        self._woken.set()

    def end(self, code: str, message: str) -> None:
        self._ended = StreamEnded(code, message)
        self._woken.set()

    def recheck(self, _event: object = None) -> None:
        """The reader's sessions or role changed: check their token before handing out anything more."""
        self._recheck = True
        self._woken.set()

    async def next(self, *, idle: float | None = None) -> list[Outgoing]:
        """The next events the reader may see; after `idle` seconds (IDLE) without any, none. Raises StreamEnded."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (IDLE if idle is None else idle)
        while True:
            if self._ended is not None:
                raise self._ended
            if self._recheck or loop.time() >= self._checked_at + CHECK_EVERY:
                self._recheck = False
                self.reader = await self._check()
                self._checked_at = loop.time()
            if self._replaying:
                found = await self._replay()
                if found:
                    return found
                continue
            self._woken.clear()  # before taking: a push after the take wakes the wait below
            found = self._take()
            if found:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(remaining, CHECK_EVERY)):  # no task per wait, unlike wait_for
                    await self._woken.wait()

    async def _replay(self) -> list[Outgoing]:
        narrowed = StreamFilter(queue_id=self.scope.queue_id, request_id=self.scope.ticket_id,
                                reader_id=None if permissions.is_staff(self.reader) else self.reader.id)
        self._overflowed = False
        rows = await self._read(self.cursor, REPLAY_BATCH, narrowed)
        if len(rows) < REPLAY_BATCH and not self._overflowed:
            self._replaying = False  # caught up with every row up to the tail's position: the buffer has the rest
        return self._shown(rows)

    def _take(self) -> list[Outgoing]:
        rows = list(self._buffer)
        self._buffer.clear()
        return self._shown(rows)

    def _shown(self, rows: list[StreamRow]) -> list[Outgoing]:
        shown = []
        for row in rows:
            if row.id <= self.cursor:
                continue  # replayed already
            self.cursor = row.id
            if self.scope.covers(row) and may_see(self.reader, row):
                shown.append(Outgoing(row.id, as_json(row, with_text=True)))
        return shown

