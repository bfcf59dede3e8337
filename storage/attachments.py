"""Attachment rows: added with their message, listed with messages, found again for a download."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import any_, bindparam, insert, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from . import execution
from .column_types import Id
from .execution import hot
from .models import Attachment, Conversation, Message
from .rows import AttachmentRow

_COLUMNS = (Attachment.id, Attachment.message_id, Attachment.filename, Attachment.content_type, Attachment.size,
            Attachment.sha256)
# A page of messages' files on PostgreSQL: built once, one array parameter, straight on asyncpg (an IN list is
# rendered again for every call, about half a millisecond for a page of 25).
_OF_MESSAGES = hot(select(*_COLUMNS).where(Attachment.message_id == any_(bindparam('ids', type_=ARRAY(Id))))
                   .order_by(Attachment.id))


class AttachmentRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def add(self, *, message_id: int, filename: str, content_type: str, size: int, storage_name: str,
                  sha256: str) -> int:
        return (await self.connection.execute(insert(Attachment.__table__).values(
            message_id=message_id, filename=filename, content_type=content_type, size=size, storage_name=storage_name,
            sha256=sha256).returning(Attachment.__table__.c.id))).scalar_one()

    async def of_messages(self, message_ids: Iterable[int]) -> dict[int, list[AttachmentRow]]:
        ids = list(message_ids)
        found: dict[int, list[AttachmentRow]] = defaultdict(list)
        if ids:
            if self.connection.dialect.name == 'postgresql':
                rows = await execution.fetch(self.connection, _OF_MESSAGES, {'ids': ids})
            else:
                rows = (await self.connection.execute(select(*_COLUMNS).where(Attachment.message_id.in_(ids))
                                                      .order_by(Attachment.id))).all()
            for row in rows:
                attachment = AttachmentRow(*row)
                found[attachment.message_id].append(attachment)
        return found

    async def locate(self, attachment_id: int) -> tuple[AttachmentRow, str, int, int, int | None, str] | None:
        """The attachment, its storage name, and where it hangs: request, conversation, counterpart, message kind."""
        row = (await self.connection.execute(
            select(*_COLUMNS, Attachment.storage_name, Message.request_id, Message.conversation_id,
                   Conversation.counterpart_id, Message.kind)
            .join(Message, Message.id == Attachment.message_id)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Attachment.id == attachment_id))).one_or_none()
        if row is None:
            return None
        *attachment, storage_name, request_id, conversation_id, counterpart_id, kind = row
        return AttachmentRow(*attachment), storage_name, request_id, conversation_id, counterpart_id, kind
