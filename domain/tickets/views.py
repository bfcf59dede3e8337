"""What the desk's reads ask and answer: the inbox's query and page, its filters' options, a ticket's views."""

from __future__ import annotations

from dataclasses import dataclass

from storage.rows import EventRow, MessageRow, QueueRow, RequestRecord, RequestRow, StatusRow, TicketRow, UserRow


@dataclass(frozen=True)
class InboxQuery:
    status_id: int | None = None
    open_only: bool = True
    assignee: str | int = 'any'
    queue_id: int | None = None
    channel: str | None = None
    search: str = ''
    sort: str = 'updated'
    descending: bool = True
    page: int = 1


@dataclass(frozen=True)
class InboxPage:
    rows: list[TicketRow]
    counts: dict[int, int]  # per status, with every filter but the status one; capped at COUNT_CAP + 1
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class DeskOptions:
    """What the inbox's filters offer."""

    queues: list[QueueRow]
    statuses: list[StatusRow]
    agents: list[UserRow]


@dataclass(frozen=True)
class TicketView:
    ticket: RequestRecord
    status: StatusRow
    next_statuses: list[StatusRow]
    conversation_id: int | None
    messages: list[MessageRow]
    other_tickets: list[RequestRow]
    agents: list[UserRow]


@dataclass(frozen=True)
class TicketContext:
    """What the desk's right pane shows of a ticket after it changed: no thread (the conversation pane reads that),
    and only the timeline's events after the last one the pane shows."""

    ticket: RequestRecord
    status: StatusRow
    next_statuses: list[StatusRow]
    agents: list[UserRow]
    events: list[EventRow]
