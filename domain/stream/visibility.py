"""Who may see which event of the log: the rules of domain/permissions.py, applied to one log row."""

from __future__ import annotations

from domain import permissions
from storage.rows import UserRow
from storage.stream import NOTE, StreamRow

from .shape import MESSAGES


def may_see(reader: UserRow, row: StreamRow) -> bool:
    """Staff see everything, notes included. Anyone else sees what happens on a request they may read (their own,
    or a public queue's, as permissions.can_read), and a message only in a conversation they take part in (the
    author's, or their own response: permissions.can_read_conversation), never a note."""
    if permissions.is_staff(reader):
        return True
    if row.kind == NOTE or row.message_kind == 'note':  # a note is staff-only whatever the log calls it
        return False
    if row.visibility != 'public' and row.author_id != reader.id:
        return False
    if row.kind in MESSAGES:
        return reader.id in (row.author_id, row.counterpart_id)
    return True
