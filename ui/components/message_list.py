"""Messages of one conversation in order: appended after the last one shown, never twice, with receipts."""

from __future__ import annotations

from nicegui import ui

from domain.requests.views import MessageRow

from ..i18n import t
from .message_block import MessageBlock


class MessageList(ui.column):
    def __init__(self, viewer_id: int | None, *, receipts: bool = False) -> None:
        super().__init__()
        self.classes('w-full gap-1').mark('messages')
        self.viewer_id = viewer_id
        self.receipts = receipts
        self.last_id = 0
        self.read_upto = 0
        self.blocks: list[MessageBlock] = []
        self._unread_mine: dict[int, tuple[MessageBlock, MessageRow]] = {}  # the viewer's, not read by staff yet

    def append(self, messages: list[MessageRow]) -> list[MessageRow]:
        """Add the messages not shown yet; returns those."""
        added = [message for message in messages if message.id > self.last_id]
        touched: dict[int, MessageBlock] = {}
        for message in added:
            block = self._open_block()
            receipt = self._receipt(message)
            block.put(message, receipt)
            if receipt == t('Sent'):
                self._unread_mine[message.id] = (block, message)
            self.last_id = message.id
            touched[block.id] = block
        for block in touched.values():
            block.show()
        return added

    def read_by_staff(self, upto: int) -> None:
        """Support has read everything up to `upto`: the viewer's messages so far say "Read"."""
        self.read_upto = max(self.read_upto, upto)
        touched: dict[int, MessageBlock] = {}
        for message_id in [i for i in self._unread_mine if i <= self.read_upto]:
            block, message = self._unread_mine.pop(message_id)
            block.put(message, t('Read'))
            touched[block.id] = block
        for block in touched.values():
            block.show()

    def _open_block(self) -> MessageBlock:
        if not self.blocks or self.blocks[-1].full:
            with self:
                self.blocks.append(MessageBlock(self.viewer_id))
        return self.blocks[-1]

    def _receipt(self, message: MessageRow) -> str | None:
        if not self.receipts or message.author_id != self.viewer_id:
            return None
        return t('Read') if message.id <= self.read_upto else t('Sent')
