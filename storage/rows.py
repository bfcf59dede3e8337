"""Plain read rows that queries hand to the domain; frozen so pages can keep them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    is_active: bool
    session_version: int
    locale: str | None
    theme: str | None
    time_zone: str | None = None  # chosen on the profile; None: the browser's


@dataclass(frozen=True)
class StatusRow:
    id: int
    name: str
    kind: str
    position: int


@dataclass(frozen=True)
class QueueRow:
    id: int
    name: str
    visibility: str
    workflow_id: int


@dataclass(frozen=True)
class RequestRow:
    """One line of a request list."""

    id: int
    title: str
    status_id: int
    status: str
    status_kind: str
    author_id: int
    author: str
    created_at: datetime
    updated_at: datetime
    response_count: int


@dataclass(frozen=True)
class RequestRecord:
    """A whole request with its queue, as rules need it."""

    id: int
    queue_id: int
    visibility: str
    workflow_id: int
    title: str
    description: str
    status_id: int
    author_id: int
    author: str
    assignee_id: int | None
    channel: str
    response_count: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    queue: str = ''
    one_open_per_author: bool = False
    assignee: str | None = None
    staff_unread: bool = False
    thread_id: int | None = None  # its thread with staff, when read with it (RequestRepository.record)


@dataclass(frozen=True)
class TicketRow:
    """One line of the staff inbox."""

    id: int
    title: str
    status_id: int
    status: str
    status_kind: str
    customer_id: int
    customer: str
    assignee_id: int | None
    assignee: str | None
    queue: str
    channel: str
    staff_unread: bool
    created_at: datetime
    updated_at: datetime
    preview: str = ''  # the start of the last message or note, for the desk's list


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    message_id: int
    filename: str
    content_type: str
    size: int
    sha256: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith('image/')


@dataclass  # not frozen: a frozen dataclass's __init__ cost six times as much, 25 messages a page
class MessageRow:
    """A message as read; not to be changed (dataclasses.replace makes another), as every row here."""

    id: int
    conversation_id: int
    author_id: int | None
    author: str
    kind: str
    body: str
    created_at: datetime
    attachments: tuple[AttachmentRow, ...] = ()


@dataclass(frozen=True)
class ConversationRow:
    id: int
    request_id: int
    counterpart_id: int | None
    counterpart: str
    message_count: int
    last_message_at: datetime
    last_message: str
    last_message_author_id: int | None
    unread: int  # for the user the row was read for


@dataclass(frozen=True)
class ResponseRow:
    """A conversation the user takes part in, seen from their side; `other` is who they talk to."""

    request_id: int
    conversation_id: int
    title: str
    status: str
    status_kind: str
    other: str
    last_message: str
    last_message_at: datetime
    unread: int


@dataclass(frozen=True)
class EventRow:
    id: int
    kind: str
    actor_id: int | None
    actor: str
    request_id: int | None
    data: dict[str, object]
    created_at: datetime
