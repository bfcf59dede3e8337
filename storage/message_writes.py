"""How a message is written: the row, its conversation's count and last message, and the participants' read markers;
on PostgreSQL all three in one statement (storage/conversations.py sends them)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Update, bindparam, case, insert, select, true, update

from .execution import hot
from .models import Conversation, Message, ReadMarker

INSERT_MESSAGE = hot(insert(Message.__table__).returning(Message.__table__.c.id))


def _counting(message_id: Any, *, staff_read: bool, conversation: str = 'conversation_id') -> Update:
    """The conversation's count and last message after a message (`message_id`: a parameter, or the id inserted
    in the same statement); `staff_read`: staff have read up to it too."""
    counted = update(Conversation.__table__).where(Conversation.__table__.c.id == bindparam(conversation)) \
        .values(message_count=Conversation.message_count + 1, last_message_id=message_id,
                last_message_at=bindparam('now'))
    if staff_read:
        counted = counted.values(staff_read_upto=case((Conversation.staff_read_upto < message_id, message_id),
                                                      else_=Conversation.staff_read_upto))
    return counted


COUNT_MESSAGE = hot(_counting(bindparam('message_id'), staff_read=False))
COUNT_READ_MESSAGE = hot(_counting(bindparam('message_id'), staff_read=True))


def _marking(message_id: Any, *, by_participant: bool, counted: bool, author: str = 'author_id') -> Update:
    """After a message: its author has read up to it, the others have one more unread unless it is not counted
    (a note). Returns the participants."""
    bump = 1 if counted else 0
    markers = ReadMarker.__table__.c
    unread, last_read = markers.unread + bump, markers.last_read_message_id
    if by_participant:
        is_author = markers.user_id == bindparam(author)
        unread = case((is_author, 0), else_=unread)
        last_read = case((is_author, message_id), else_=last_read)
    return update(ReadMarker.__table__).where(markers.conversation_id == bindparam('in_conversation')) \
        .values(unread=unread, last_read_message_id=last_read).returning(markers.user_id)


@cache
def markers(by_participant: bool, counted: bool) -> Any:
    return hot(_marking(bindparam('message_id'), by_participant=by_participant, counted=counted))


# The parameters of message_added, named after no column of the tables it writes: SQLAlchemy sets a column of an
# UPDATE to a parameter of its name whenever one is given.
ADDED = {name: f'new_{name}' for name in ('conversation_id', 'request_id', 'author_id', 'body', 'kind', 'created_at',
                                          'external_ref')}


@cache
def message_added(by_participant: bool, counted: bool, staff_read: bool) -> Any:
    """PostgreSQL: the message, its conversation's count (unless a note) and the participants' markers in one
    statement: (its id, a participant) per participant, or one row with none. They were three round trips of
    every message posted; each sub-statement sees the tables as they were before, which none of them needs."""
    added = insert(Message.__table__).values({name: bindparam(key) for name, key in ADDED.items()}) \
        .returning(Message.__table__.c.id).cte('added')
    message_id = select(added.c.id).scalar_subquery()
    marked = _marking(message_id, by_participant=by_participant, counted=counted, author='new_author_id') \
        .cte('marked')
    statement = select(added.c.id, marked.c.user_id).select_from(added).outerjoin(marked, true())
    if counted:
        statement = statement.add_cte(_counting(message_id, staff_read=staff_read,
                                                conversation='new_conversation_id').cte('counted'))
    return hot(statement)
