"""The read rows services hand to pages; storage builds them, so pages never import storage."""

from storage.rows import (
    AttachmentRow,
    ConversationRow,
    EventRow,
    MessageRow,
    RequestRecord,
    RequestRow,
    ResponseRow,
    StatusRow,
    TicketRow,
    UserRow,
)

__all__ = ['AttachmentRow', 'ConversationRow', 'EventRow', 'MessageRow', 'RequestRecord', 'RequestRow',
           'ResponseRow', 'StatusRow', 'TicketRow', 'UserRow']
