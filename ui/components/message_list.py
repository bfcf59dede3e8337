"""Messages of one conversation in order: appended after the last one shown, never twice, with receipts."""

from __future__ import annotations

from nicegui import ui

from domain.views import MessageRow

from ..i18n import t
from .message_bubble import message_bubble, stamp


class MessageList(ui.column):
    def __init__(self, viewer_id: int | None, *, receipts: bool = False) -> None:
        super().__init__()
        self.classes('w-full gap-1').mark('messages')
        self.viewer_id = viewer_id
        self.receipts = receipts
        self.last_id = 0
        self.read_upto = 0
        self._unread_mine: dict[int, tuple[ui.chat_message, MessageRow]] = {}

    def append(self, messages: list[MessageRow]) -> list[MessageRow]:
        """Add the messages not shown yet; returns those."""
        added = [message for message in messages if message.id > self.last_id]
        with self:
            for message in added:
                bubble = message_bubble(message, self.viewer_id, receipt=self._receipt(message))
                if self._receipt(message) == t('Sent'):
                    self._unread_mine[message.id] = (bubble, message)
                self.last_id = message.id
        return added

    def read_by_staff(self, upto: int) -> None:
        """Support has read everything up to `upto`: the viewer's messages so far say "Read"."""
        self.read_upto = max(self.read_upto, upto)
        for message_id in [i for i in self._unread_mine if i <= self.read_upto]:
            bubble, message = self._unread_mine.pop(message_id)
            bubble.props(f'stamp="{stamp(message, t("Read"))}"')

    def _receipt(self, message: MessageRow) -> str | None:
        if not self.receipts or message.author_id != self.viewer_id:
            return None
        return t('Read') if message.id <= self.read_upto else t('Sent')
