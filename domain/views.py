"""The read rows services hand to pages; storage builds them, so pages never import storage."""

from storage.rows import ConversationRow, MessageRow, RequestRecord, RequestRow, ResponseRow, StatusRow, UserRow

__all__ = ['ConversationRow', 'MessageRow', 'RequestRecord', 'RequestRow', 'ResponseRow', 'StatusRow', 'UserRow']
