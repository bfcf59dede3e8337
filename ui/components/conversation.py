"""A conversation pane: its messages in order, read again since the last one shown, and a reply box."""

from __future__ import annotations

import asyncio

from nicegui import ui

from domain.conversations import Thread
from domain.events import MessagePosted
from domain.files import Upload
from domain.views import MessageRow

from ..i18n import t
from ..tab import Tab
from .message_list import MessageList
from .reply_box import ReplyBox


class ConversationPane(ui.column):
    """Appends only what is new: events, reconnects and the sender's own send all read "after the last id"."""

    def __init__(self, tab: Tab, thread: Thread, *, can_write: bool) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.request_id = thread.request_id
        self.conversation_id = thread.conversation_id
        self._lock = asyncio.Lock()
        with self:
            ui.label(t('Conversation with {name}', name=thread.counterpart)).classes('text-subtitle1') \
                .props('role=heading aria-level=2')
            self.messages = MessageList(self._viewer_id)
            self.empty = ui.label(t('No messages yet.')).classes('text-grey-7')
            if can_write:
                key = f'reply:{self.request_id}:{self.conversation_id or "new"}'
                ReplyBox(tab, draft_key=key, return_to=f'/requests/{self.request_id}', send=self.send)
        self._append(thread.messages)
        tab.live.watch(MessagePosted, self.on_posted, key=self.request_id, container=self.messages,
                       resync=self.refresh, only=self._concerns)

    async def send(self, text: str, files: list[Upload]) -> None:
        message = await self.tab.desk.conversations.post(actor_id=await self.tab.actor_id(),
                                                         request_id=self.request_id, text=text,
                                                         conversation_id=self.conversation_id, files=files)
        self.conversation_id = message.conversation_id
        await self.refresh()

    def _concerns(self, event: MessagePosted) -> bool:
        """This pane's conversation, or (before it has one) the viewer's first message from another tab: the
        other conversations of a busy request cost no task here."""
        if self.conversation_id is None:
            return event.author_id == self._viewer_id
        return event.conversation_id == self.conversation_id

    async def on_posted(self, event: MessagePosted) -> None:
        if self.conversation_id is None and event.author_id == self._viewer_id:  # their first, from another tab
            thread = await self.tab.desk.conversations.thread(viewer_id=self._viewer_id, request_id=self.request_id)
            self.conversation_id = thread.conversation_id
        if event.conversation_id == self.conversation_id:
            await self.refresh()

    async def refresh(self) -> None:
        if self.conversation_id is None:
            return
        async with self._lock:
            new = await self.tab.desk.conversations.messages_after(
                viewer_id=self._viewer_id, request_id=self.request_id, conversation_id=self.conversation_id,
                after_id=self.messages.last_id)
            self._append(new)
        if any(message.author_id != self._viewer_id for message in new):
            await self.mark_read()

    async def mark_read(self) -> None:
        if self.conversation_id is not None:
            await self.tab.desk.conversations.mark_read(viewer_id=self._viewer_id,
                                                        conversation_id=self.conversation_id)

    @property
    def _viewer_id(self) -> int | None:
        return self.tab.user.id if self.tab.user else None

    def _append(self, messages: list[MessageRow]) -> None:
        self.messages.append(messages)
        self.empty.set_visibility(self.messages.last_id == 0)
