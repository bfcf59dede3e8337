"""Unit of work: one session, the repositories on it, and events that go out only after commit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import cached_property
from types import TracebackType
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from .attachments import AttachmentRepository
from .audit import AuditRepository
from .catalog import Catalog
from .conversations import ConversationRepository
from .cursors import CursorRepository
from .database import Database
from .events import EventRepository
from .identities import IdentityRepository
from .inbox import InboxRepository
from .jobs import JobRepository, NewJob
from .models import Event
from .notify import Announcer
from .queue_admin import QueueAdminRepository
from .refresh_tokens import RefreshTokenRepository
from .requests import RequestRepository
from .rules import RuleRepository
from .users import UserRepository
from .workflows import WorkflowRepository

# Whether an event is worth a follower's job (None: always). Asked in the committing transaction, so a follower with
# nothing to do (no rule could fire) costs no job, no worker round and no reads at all.
Gate = Callable[['UnitOfWork', Event], Awaitable[bool]]
Follower = tuple[str, Gate | None]  # job kind, gate


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
    jobs: JobRepository
    cursors: CursorRepository
    rules: RuleRepository
    audit: AuditRepository

    def __init__(self, database: Database, publish: Callable[[Any], None], announcer: Announcer | None = None, *,
                 write: bool = False, jobs_queued: Any = None,
                 consumers: Mapping[str, Sequence[Follower]] | None = None,
                 catalog: Catalog | None = None, catalog_changed: Any = None) -> None:
        self.database = database
        # SQLite has one writer at a time; a busy process can keep a write transaction open for seconds between
        # statements, and another connection waiting in SQLite gives up after busy_timeout ("database is
        # locked") while holding a pooled connection. So writers in this process queue here instead.
        self._write_lock = database.write_lock if write and database.is_sqlite else None
        self._write = write  # reads run outside a transaction (Database.session)
        self._publish = publish
        self._announcer = announcer  # with several instances: NOTIFY the others in the same transaction
        self._outbox: list[Any] = []
        self._jobs_queued = jobs_queued  # the event that wakes workers once queued jobs are committed
        # Event kind -> job kinds (and their gates) that follow it (rules, notifications): queued in the same
        # transaction, so an action that happened is followed up exactly once even if the process dies after commit.
        self._consumers = consumers or {}
        self._catalog = catalog  # queues and workflows in memory (see storage.catalog)
        self._catalog_changed = catalog_changed  # the event that empties it on every instance

    async def __aenter__(self) -> UnitOfWork:
        await self.database.ready()
        if self._write_lock is not None:
            await self._write_lock.acquire()
        self.session = self.database.session(read_only=not self._write)
        self.users = UserRepository(self.session)
        self.requests = RequestRepository(self.session)
        self.conversations = ConversationRepository(self.session)
        self.workflows = WorkflowRepository(self.session, self._catalog)
        self.events = EventRepository(self.session)
        self.attachments = AttachmentRepository(self.session)
        self.inbox = InboxRepository(self.session)
        self.identities = IdentityRepository(self.session)
        self.refresh_tokens = RefreshTokenRepository(self.session)
        self.jobs = JobRepository(self.session)
        self.cursors = CursorRepository(self.session)
        self.rules = RuleRepository(self.session)
        self.audit = AuditRepository(self.session)
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
            self.__dict__.pop('queue_admin', None)  # its callback is bound to us: no cycle left for the collector

    @cached_property
    def queue_admin(self) -> QueueAdminRepository:
        # Made on first use only: its callback binds this unit of work, a reference cycle that ui.gc_policy's
        # frozen collector would keep; __aexit__ drops it again.
        return QueueAdminRepository(self.session, on_change=self._changing_catalog)

    def _changing_catalog(self) -> None:
        """A queue or workflow is being changed: read them from the database, and have caches forget at commit."""
        self.workflows.catalog = None
        if self._catalog_changed is not None and self._catalog_changed not in self._outbox:
            self._outbox.append(self._catalog_changed)

    def emit(self, event: Any) -> None:
        """Publish `event` once this unit of work commits."""
        self._outbox.append(event)

    async def commit(self) -> None:
        if not self._write:
            raise RuntimeError('commit() in a read-only unit of work: open it with uow(write=True)')
        await self._follow_events()
        if self.jobs.added and self._jobs_queued is not None:
            self.jobs.added = 0
            self._outbox.append(self._jobs_queued)
        if self._announcer is not None and self._outbox:
            await self._announcer.announce(self.session, self._outbox)
        await self.session.commit()
        events, self._outbox = self._outbox, []
        for event in events:
            self._publish(event)


    async def _follow_events(self) -> None:
        added, self.events.added = self.events.added, []
        followed = [(event, job_kind) for event in added for job_kind, gate in self._consumers.get(event.kind, ())
                    if gate is None or await gate(self, event)]
        if not followed:
            return
        await self.session.flush()  # the events' ids
        await self.jobs.add_many([
            NewJob(job_kind, {'event_id': event.id, 'kind': event.kind, 'request_id': event.request_id,
                              'actor_id': event.actor_id, 'channel': event.channel, 'data': event.data},
                   dedup_key=f'{job_kind}:{event.id}')
            for event, job_kind in followed])


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = False) -> UnitOfWork: ...
