"""A request's conversation pane: who it is with, its live thread, and a reply box."""

from __future__ import annotations

from nicegui import ui

from domain.events import MessagePosted
from domain.files import Upload
from domain.requests.conversations import Thread

from ..i18n import t
from ..tab import Tab
from .live_thread import LiveThread, request_messages
from .reply_box import ReplyBox


class ConversationPane(ui.column):
    """The sender's page sees its own message through the same read as everyone's: "after the last id"."""

    def __init__(self, tab: Tab, thread: Thread, *, can_write: bool) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.request_id = thread.request_id
        viewer_id = tab.user.id if tab.user else None
        with self:
            ui.label(t('Conversation with {name}', name=thread.counterpart)).classes('text-subtitle1') \
                .props('role=heading aria-level=2')
            self.messages = LiveThread(viewer_id, thread.conversation_id,
                                       request_messages(tab.desk, viewer_id, self.request_id),
                                       messages=thread.messages, empty=t('No messages yet.'), mark_read=self.mark_read)
            if can_write:
                key = f'reply:{self.request_id}:{thread.conversation_id or "new"}'
                ReplyBox(tab, draft_key=key, return_to=f'/requests/{self.request_id}', send=self.send)
        self.messages.follow(tab.live, self.request_id, only=self._concerns)

    async def send(self, text: str, files: list[Upload]) -> None:
        message = await self.tab.desk.conversations.post(actor_id=await self.tab.actor_id(),
                                                         request_id=self.request_id, text=text,
                                                         conversation_id=self.messages.conversation_id, files=files)
        await self.messages.refresh(message.conversation_id, upto=message.id)

    def _concerns(self, event: MessagePosted) -> bool:
        """This pane's conversation, or (before it has one) the viewer's first message from another tab: the
        other conversations of a busy request cost no task here."""
        if self.messages.conversation_id is None:
            return event.author_id == self.messages.viewer_id
        return event.conversation_id == self.messages.conversation_id

    async def mark_read(self, conversation_id: int | None = None) -> None:
        conversation_id = conversation_id or self.messages.conversation_id
        if conversation_id is not None:
            await self.tab.desk.conversations.mark_read(viewer_id=self.messages.viewer_id,
                                                        conversation_id=conversation_id)
