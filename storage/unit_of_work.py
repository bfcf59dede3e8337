"""Unit of work: one session, the repositories on it, and events that go out only after commit."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from .attachments import AttachmentRepository
from .conversations import ConversationRepository
from .database import Database
from .events import EventRepository
from .identities import IdentityRepository
from .inbox import InboxRepository
from .notify import Announcer
from .queue_admin import QueueAdminRepository
from .refresh_tokens import RefreshTokenRepository
from .requests import RequestRepository
from .users import UserRepository
from .workflows import WorkflowRepository


class UnitOfWork:
    session: AsyncSession
    users: UserRepository
    requests: RequestRepository
    conversations: ConversationRepository
    workflows: WorkflowRepository
    events: EventRepository
    attachments: AttachmentRepository
    inbox: InboxRepository
    queue_admin: QueueAdminRepository
    identities: IdentityRepository
    refresh_tokens: RefreshTokenRepository

    def __init__(self, database: Database, publish: Callable[[Any], None], announcer: Announcer | None = None, *,
                 write: bool = False) -> None:
        self.database = database
        # SQLite has one writer at a time; a busy process can keep a write transaction open for seconds between
        # statements, and another connection waiting in SQLite gives up after busy_timeout ("database is
        # locked") while holding a pooled connection. So writers in this process queue here instead.
        self._write_lock = database.write_lock if write and database.is_sqlite else None
        self._publish = publish
        self._announcer = announcer  # with several instances: NOTIFY the others in the same transaction
        self._outbox: list[Any] = []

    async def __aenter__(self) -> UnitOfWork:
        await self.database.ready()
        if self._write_lock is not None:
            await self._write_lock.acquire()
        self.session = self.database.session()
        self.users = UserRepository(self.session)
        self.requests = RequestRepository(self.session)
        self.conversations = ConversationRepository(self.session)
        self.workflows = WorkflowRepository(self.session)
        self.events = EventRepository(self.session)
        self.attachments = AttachmentRepository(self.session)
        self.inbox = InboxRepository(self.session)
        self.queue_admin = QueueAdminRepository(self.session)
        self.identities = IdentityRepository(self.session)
        self.refresh_tokens = RefreshTokenRepository(self.session)
        self._outbox = []
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        # Nothing is saved without commit(); closing returns the connection even when cancelled.
        try:
            await self.session.rollback()
        finally:
            await self.session.close()
            if self._write_lock is not None:
                self._write_lock.release()

    def emit(self, event: Any) -> None:
        """Publish `event` once this unit of work commits."""
        self._outbox.append(event)

    async def commit(self) -> None:
        if self._announcer is not None and self._outbox:
            await self._announcer.announce(self.session, self._outbox)
        await self.session.commit()
        events, self._outbox = self._outbox, []
        for event in events:
            self._publish(event)


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = False) -> UnitOfWork: ...
