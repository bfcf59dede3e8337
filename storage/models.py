"""SQLAlchemy tables for the whole domain vocabulary; one schema for SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .column_types import Id, UTCDateTime, utcnow

NAMING = {
    'ix': 'ix_%(column_0_label)s',
    'uq': 'uq_%(table_name)s_%(column_0_name)s',
    'ck': 'ck_%(table_name)s_%(constraint_name)s',
    'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
    'pk': 'pk_%(table_name)s',
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    __tablename__ = 'users'
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    username_key: Mapped[str] = mapped_column(String(64), unique=True)  # casefolded, for unique lookups
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), default='customer')
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)  # bumping it signs out every session
    locale: Mapped[str | None] = mapped_column(String(8))
    theme: Mapped[str | None] = mapped_column(String(8))
    email: Mapped[str | None] = mapped_column(String(254))
    notify_events: Mapped[list[str]] = mapped_column(JSON, default=list)  # event kinds that email this user
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    time_zone: Mapped[str | None] = mapped_column(String(64))  # an IANA name; none: the browser's zone
    # What tells an agent of a customer's message besides the in-app toast (domain/tickets/alerts.py). A server
    # default only: a Python one would keep hot inserts of users from going straight to asyncpg (patches/direct.py).
    alert_sound: Mapped[bool] = mapped_column(Boolean, server_default=false())
    alert_browser: Mapped[bool] = mapped_column(Boolean, server_default=false())
    alert_queues: Mapped[list[int] | None] = mapped_column(JSON)  # queue ids; none: every queue of the inbox


class Identity(Base):
    """An outside account of a user: an OAuth provider's subject or a Telegram chat id."""

    __tablename__ = 'identities'
    __table_args__ = (UniqueConstraint('provider', 'subject'),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), index=True)
    provider: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RefreshToken(Base):
    """One API refresh token; each refresh uses it up and issues the next of its family (the sign-in's chain)."""

    __tablename__ = 'refresh_tokens'
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    jti: Mapped[str] = mapped_column(String(64), unique=True)  # random: what the signed token names
    family: Mapped[str] = mapped_column(String(64), index=True)  # the jti of the chain's first token
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), index=True)
    session_version: Mapped[int] = mapped_column(Integer)  # the user's at sign-in; a bump ends the family
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Workflow(Base):
    __tablename__ = 'workflows'
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class WorkflowStatus(Base):
    __tablename__ = 'workflow_statuses'
    __table_args__ = (UniqueConstraint('workflow_id', 'name'),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    workflow_id: Mapped[int] = mapped_column(ForeignKey('workflows.id', ondelete='CASCADE'))
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))  # open | active | closed
    position: Mapped[int] = mapped_column(Integer)


class WorkflowTransition(Base):
    __tablename__ = 'workflow_transitions'
    workflow_id: Mapped[int] = mapped_column(ForeignKey('workflows.id', ondelete='CASCADE'), primary_key=True)
    from_status_id: Mapped[int] = mapped_column(ForeignKey('workflow_statuses.id', ondelete='CASCADE'),
                                                primary_key=True)
    to_status_id: Mapped[int] = mapped_column(ForeignKey('workflow_statuses.id', ondelete='CASCADE'),
                                              primary_key=True)


class Queue(Base):
    __tablename__ = 'queues'
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    visibility: Mapped[str] = mapped_column(String(8))  # public | private
    workflow_id: Mapped[int] = mapped_column(ForeignKey('workflows.id'))
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # queue-defined extra fields
    one_open_per_author: Mapped[bool] = mapped_column(Boolean, default=False)  # a support desk's rule


_OPEN_ONLY: dict[str, Any] = {'postgresql_where': text('closed_at IS NULL'), 'sqlite_where': text('closed_at IS NULL'),
                               'postgresql_include': ['status_id', 'assignee_id', 'channel']}


class Request(Base):
    __tablename__ = 'requests'
    __table_args__ = (
        Index('ix_requests_queue_created', 'queue_id', text('created_at DESC'), text('id DESC')),
        Index('ix_requests_queue_updated', 'queue_id', text('updated_at DESC'), text('id DESC')),
        Index('ix_requests_queue_status_created', 'queue_id', 'status_id', text('created_at DESC'), text('id DESC')),
        Index('ix_requests_queue_status_updated', 'queue_id', 'status_id', text('updated_at DESC'), text('id DESC')),
        Index('ix_requests_author_created', 'author_id', text('created_at DESC'), text('id DESC')),
        Index('ix_requests_assignee', 'assignee_id'),
        # At most one open request per author where the queue says so: open_key is the author's id
        # while the request is open and NULL once closed, and NULLs never collide.
        UniqueConstraint('queue_id', 'open_key'),
        Index('ix_requests_queue_assignee_updated', 'queue_id', 'assignee_id', text('updated_at DESC'),
              text('id DESC')),
        # The inbox: open tickets by time (partial), and per-status counts under an assignee or channel filter.
        Index('ix_requests_open_updated', 'queue_id', text('updated_at DESC'), text('id DESC'), **_OPEN_ONLY),
        Index('ix_requests_open_created', 'queue_id', text('created_at DESC'), text('id DESC'), **_OPEN_ONLY),
        Index('ix_requests_queue_assignee_status', 'queue_id', 'assignee_id', 'status_id'),
        Index('ix_requests_queue_channel_status', 'queue_id', 'channel', 'status_id'),
        # Tickets in every queue (/api/v1/tickets): by time across queues, a customer's by update, "assigned to me".
        Index('ix_requests_updated', text('updated_at DESC'), text('id DESC')),
        Index('ix_requests_created', text('created_at DESC'), text('id DESC')),
        Index('ix_requests_author_updated', 'author_id', text('updated_at DESC'), text('id DESC')),
        Index('ix_requests_assignee_updated', 'assignee_id', text('updated_at DESC'), text('id DESC')),
        # Open tickets of every queue by update (kind=open with any other filter), and those of one assignee.
        Index('ix_requests_open_any_updated', text('updated_at DESC'), text('id DESC'),
              **(_OPEN_ONLY | {'postgresql_include': ['queue_id', 'status_id', 'assignee_id', 'channel']})),
        Index('ix_requests_open_assignee_updated', 'assignee_id', text('updated_at DESC'), text('id DESC'),
              **(_OPEN_ONLY | {'postgresql_include': ['queue_id', 'status_id']})),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey('queues.id'))
    title: Mapped[str] = mapped_column(String(200))
    title_folded: Mapped[str] = mapped_column(String(200))  # casefolded title: search that ignores case in any script
    description: Mapped[str] = mapped_column(Text, default='')
    status_id: Mapped[int] = mapped_column(ForeignKey('workflow_statuses.id'))
    author_id: Mapped[int] = mapped_column(ForeignKey('users.id'))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey('users.id'))
    channel: Mapped[str] = mapped_column(String(16), default='web')  # web | telegram | api
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    response_count: Mapped[int] = mapped_column(Integer, default=0)  # conversations with a responder
    open_key: Mapped[int | None] = mapped_column(Id)
    staff_unread: Mapped[bool] = mapped_column(Boolean, default=False)  # the customer wrote since staff last read
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # time-in-status rules


class TicketCount(Base):
    """How many requests share a queue, status, assignee (-1: nobody, as storage.inbox.UNASSIGNED) and channel.

    Kept by triggers on requests (migration 0016) in the writing transaction, on every write path alike: the
    ticket list's counts per status read a few of these rows instead of counting up to 10,001 requests each.
    No foreign keys: a status or queue that is deleted has no requests left, so only rows of 0 can stay behind.
    """

    __tablename__ = 'ticket_counts'
    queue_id: Mapped[int] = mapped_column(Id, primary_key=True)
    status_id: Mapped[int] = mapped_column(Id, primary_key=True)
    assignee_key: Mapped[int] = mapped_column(Id, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    tickets: Mapped[int] = mapped_column(Integer)


class TicketCountDelta(Base):
    """A change to ticket_counts not folded into it yet (PostgreSQL; migration 0019): the triggers add a row each,
    so writers of the same queue and status never wait for each other's row of ticket_counts until they commit;
    reads add these to ticket_counts, and storage.tickets.fold_counts moves them in every few seconds."""

    __tablename__ = 'ticket_count_deltas'
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    queue_id: Mapped[int] = mapped_column(Id)
    status_id: Mapped[int] = mapped_column(Id)
    assignee_key: Mapped[int] = mapped_column(Id)
    channel: Mapped[str] = mapped_column(String(16))
    tickets: Mapped[int] = mapped_column(Integer)


class Conversation(Base):
    """One per (request, counterpart); counterpart NULL is the staff team of a private request."""

    __tablename__ = 'conversations'
    __table_args__ = (
        UniqueConstraint('request_id', 'counterpart_id'),
        Index('uq_conversations_staff', 'request_id', unique=True,
              sqlite_where=text('counterpart_id IS NULL'), postgresql_where=text('counterpart_id IS NULL')),
        Index('ix_conversations_counterpart', 'counterpart_id', text('last_message_at DESC')),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey('requests.id', ondelete='CASCADE'))
    counterpart_id: Mapped[int | None] = mapped_column(ForeignKey('users.id'))
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    last_message_id: Mapped[int | None] = mapped_column(Id)
    staff_read_upto: Mapped[int] = mapped_column(Id, default=0)  # the customer's "read by support" receipts
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Message(Base):
    __tablename__ = 'messages'
    __table_args__ = (Index('ix_messages_conversation', 'conversation_id', 'id'),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey('conversations.id', ondelete='CASCADE'))
    request_id: Mapped[int] = mapped_column(ForeignKey('requests.id', ondelete='CASCADE'), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey('users.id'))
    kind: Mapped[str] = mapped_column(String(8), default='text')  # text | system | note
    body: Mapped[str] = mapped_column(Text)
    external_ref: Mapped[str | None] = mapped_column(String(64), unique=True)  # e.g. a Telegram message: once only
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attachment(Base):
    __tablename__ = 'attachments'
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey('messages.id', ondelete='CASCADE'), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(BigInteger)
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReadMarker(Base):
    """What a participant has read of a conversation; `unread` is kept in step so badges cost one row."""

    __tablename__ = 'read_markers'
    __table_args__ = (Index('ix_read_markers_user_unread', 'user_id', 'unread'),)
    conversation_id: Mapped[int] = mapped_column(ForeignKey('conversations.id', ondelete='CASCADE'),
                                                 primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), primary_key=True)
    last_read_message_id: Mapped[int] = mapped_column(Id, default=0)
    unread: Mapped[int] = mapped_column(Integer, default=0)


class Event(Base):
    """Append-only record of every action: the audit log, the timeline and the feed for live updates."""

    __tablename__ = 'events'
    __table_args__ = (Index('ix_events_request', 'request_id', 'id'), Index('ix_events_created', 'created_at', 'id'),
                      Index('ix_events_actor', 'actor_id', 'id'), Index('ix_events_kind', 'kind', 'id'),
                      Index('ix_events_position', 'position', unique=True))
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    # The live stream's order: set as the event's transaction commits (migration 0018), so None until then.
    position: Mapped[int | None] = mapped_column(Id)
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey('users.id'))
    request_id: Mapped[int | None] = mapped_column(ForeignKey('requests.id', ondelete='CASCADE'))
    channel: Mapped[str] = mapped_column(String(16), default='web')
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Tables of their own concept, in their own modules; imported here so the one metadata holds every table.
from . import model_automation, model_webhooks, model_widgets  # noqa: E402, F401
