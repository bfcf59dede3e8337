"""Domain events, published after commit. They carry ids only: subscribers re-read what they show."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DomainEvent:
    @property
    def key(self) -> int | None:
        """What subscribers narrow on (a request, a user); None reaches only catch-all subscribers."""
        return None


@dataclass(frozen=True)
class RequestCreated(DomainEvent):
    request_id: int
    queue_id: int

    @property
    def key(self) -> int | None:
        return self.request_id


@dataclass(frozen=True)
class RequestChanged(DomainEvent):
    request_id: int
    queue_id: int | None  # a queue never changes; lists of other queues need not re-read (None: not known here)

    @property
    def key(self) -> int | None:
        return self.request_id


@dataclass(frozen=True)
class MessagePosted(DomainEvent):
    request_id: int
    conversation_id: int
    message_id: int
    author_id: int  # lets a page tell "may be mine" without reading

    @property
    def key(self) -> int | None:
        return self.request_id


@dataclass(frozen=True)
class UnreadChanged(DomainEvent):
    user_id: int

    @property
    def key(self) -> int | None:
        return self.user_id


@dataclass(frozen=True)
class SessionsRevoked(DomainEvent):
    user_id: int

    @property
    def key(self) -> int | None:
        return self.user_id


@dataclass(frozen=True)
class Typing(DomainEvent):
    """Someone is typing in a request's conversation; never stored."""

    request_id: int
    user_id: int
    staff: bool

    @property
    def key(self) -> int | None:
        return self.request_id


@dataclass(frozen=True)
class ConversationRead(DomainEvent):
    """Staff read a customer's conversation up to a message: the customer's "read" receipts."""

    request_id: int
    conversation_id: int
    upto_message_id: int

    @property
    def key(self) -> int | None:
        return self.request_id


@dataclass(frozen=True)
class JobsQueued(DomainEvent):
    """Jobs were queued or requeued: workers on every instance look now instead of at their next poll."""


@dataclass(frozen=True)
class RulesChanged(DomainEvent):
    """An admin saved, switched or deleted a rule: every instance drops its cached rules."""


@dataclass(frozen=True)
class WorkflowsChanged(DomainEvent):
    """An admin changed a queue or a workflow: every instance drops its cached ones (storage.catalog)."""


@dataclass(frozen=True)
class WebhooksChanged(DomainEvent):
    """A webhook endpoint was saved, switched or deleted: every instance forgets which events have listeners."""


# Every event by name, for the bridge between instances to rebuild them from a notification.
EVENT_KINDS: dict[str, type[DomainEvent]] = {kind.__name__: kind for kind in DomainEvent.__subclasses__()}
