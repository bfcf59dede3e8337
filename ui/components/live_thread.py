"""One conversation shown live: its messages, and what came after the last one, read one read at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from nicegui import ui

from domain.desk import Desk
from domain.events import MessagePosted
from domain.requests.views import MessageRow

from ..live import LiveTab
from ..weakly import weakly
from .message_list import MessageList

Fetch = Callable[[int, int], Awaitable[Sequence[MessageRow]]]  # (conversation id, after id) -> the messages after it
Posted = Callable[[MessagePosted], Awaitable[None]]
MarkRead = Callable[[int], Awaitable[None]]  # the conversation id


def request_messages(desk: Desk, viewer_id: int | None, request_id: int) -> Fetch:
    """What every view of a request's conversation reads: the messages the viewer may see after an id."""
    def fetch(conversation_id: int, after_id: int) -> Awaitable[Sequence[MessageRow]]:
        return desk.conversations.messages_after(viewer_id=viewer_id, request_id=request_id,
                                                 conversation_id=conversation_id, after_id=after_id)
    return fetch


class LiveThread(MessageList):
    """Appends only what is new, whatever asks (an event, a reconnect, the sender's own send).

    The rule: reads run one at a time, and a refresh that had to wait reads again unless a read begun after it was
    asked has ended meanwhile. So the events that arrive during one read share the one read after it, no event is
    lost (a read that began after it covers it), nothing shows twice (one read at a time, each after the last id
    shown), and a caller's `await refresh()` returns once everything posted before it is shown.
    """

    def __init__(self, viewer_id: int | None, conversation_id: int | None, fetch: Fetch, *,
                 messages: Sequence[MessageRow] = (), receipts: bool = False, empty: str | None = None,
                 mark_read: MarkRead | None = None) -> None:
        super().__init__(viewer_id, receipts=receipts)
        self.conversation_id = conversation_id  # None until the viewer's first message starts it
        self._fetch = fetch
        self._mark_read = weakly(mark_read) if mark_read else None  # others wrote: the viewer has read it now
        self._lock = asyncio.Lock()
        self._asked = 0  # refreshes asked for so far
        self._covered = 0  # of those, how many a finished read began after
        self.empty: ui.label | None = None
        if empty is not None:
            with self:
                self.empty = ui.label(empty).classes('text-grey-7')
        self.append(list(messages))

    def append(self, messages: list[MessageRow]) -> list[MessageRow]:
        added = super().append(messages)
        if self.empty is not None:
            self.empty.set_visibility(self.last_id == 0)
        return added

    def follow(self, live: LiveTab, key: int, *, on_posted: Posted | None = None,
               only: Callable[[MessagePosted], bool] | None = None) -> None:
        """Stay live while this thread is on the page: each message posted on request `key` (for which `only`
        holds) reads what is new, and so does a reconnect. `on_posted` replaces the default handling."""
        live.watch(MessagePosted, on_posted or self.posted, key=key, container=self, resync=self.refresh, only=only)

    async def posted(self, event: MessagePosted) -> None:
        """A message in this conversation; before it has one, the first message posted starts it."""
        self.conversation_id = self.conversation_id or event.conversation_id
        if event.conversation_id == self.conversation_id:
            await self.refresh(upto=event.message_id)

    async def refresh(self, conversation_id: int | None = None, *, upto: int | None = None) -> None:
        """Show what came after the last message shown (`conversation_id`: the one a send just started); `upto`:
        the message that asks, when known, which needs no read once it shows. The sender's tab asks twice for its
        own message, once from the send and once from the message's event, in either order: without `upto` every
        message was read twice there (bench/live_load.py scenario 2)."""
        self.conversation_id = self.conversation_id or conversation_id
        self._asked += 1
        asked = self._asked
        async with self._lock:
            if self._covered >= asked or self.conversation_id is None or self.is_deleted:
                return
            if upto is not None and self.last_id >= upto:
                return
            begun = self._asked  # every refresh asked until now is served by this read
            new = await self._fetch(self.conversation_id, self.last_id)
            self._covered = begun  # only once read: after a failed read the next waiting refresh reads again
            if self.is_deleted:  # the page was left while the database answered
                return
            added = self.append(list(new))
        mark_read = self._mark_read() if self._mark_read else None
        if mark_read is not None and any(message.author_id != self.viewer_id for message in added):
            await mark_read(self.conversation_id)
