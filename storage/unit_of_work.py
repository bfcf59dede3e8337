"""Unit of work: one connection, the repositories on it, and events that go out only after commit."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import cached_property
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import ConstraintConflict

from .attachments import AttachmentRepository
from .audit import AuditRepository
from .catalog import Catalog
from .conversations import ConversationRepository
from .cursors import CursorRepository
from .database import Database
from .events import EventRepository, NewEvent
from .identities import IdentityRepository
from .inbox import InboxRepository
from .jobs import JobRepository, NewJob
from .notify import Announcer
from .queue_admin import QueueAdminRepository
from .refresh_tokens import RefreshTokenRepository
from .requests import RequestRepository
from .rules import RuleRepository
from .tickets import TicketRepository
from .users import UserRepository
from .webhooks import WebhookRepository
from .widgets import WidgetRepository
from .workflows import WorkflowRepository

# Whether an event is worth a follower's job (None: always). Asked in the committing transaction, so a follower with
# nothing to do (no rule could fire) costs no job, no worker round and no reads at all.
Gate = Callable[['UnitOfWork', NewEvent], Awaitable[bool]]
Follower = tuple[str, Gate | None]  # job kind, gate
R = TypeVar('R')


class _Repository(Generic[R]):
    """A repository on the unit of work's connection, made when first used."""

    def __init__(self, make: Callable[[AsyncConnection], R]) -> None:
        self.make = make

    def __set_name__(self, _owner: type, name: str) -> None:
        self.name = name

    def __get__(self, uow: UnitOfWork, _owner: type | None = None) -> R:
        repository = uow.__dict__[self.name] = self.make(uow.connection)  # later reads find it on the instance
        return repository


class UnitOfWork:
    """One connection (checked out on entering), the repositories on it, made on first use, and the events to
    publish once committed. Every repository speaks SQLAlchemy Core: an ORM session cost about a third of a hot
    call's CPU for identity maps and flushes that nothing here needs."""

    connection: AsyncConnection
    users = _Repository(UserRepository)
    requests = _Repository(RequestRepository)
    conversations = _Repository(ConversationRepository)
    events = _Repository(EventRepository)
    attachments = _Repository(AttachmentRepository)
    inbox = _Repository(InboxRepository)
    identities = _Repository(IdentityRepository)
    refresh_tokens = _Repository(RefreshTokenRepository)
    jobs = _Repository(JobRepository)
    cursors = _Repository(CursorRepository)
    rules = _Repository(RuleRepository)
    audit = _Repository(AuditRepository)
    tickets = _Repository(TicketRepository)
    webhooks = _Repository(WebhookRepository)
    widgets = _Repository(WidgetRepository)

    def __init__(self, database: Database, publish: Callable[[Any], None], announcer: Announcer | None = None, *,
                 write: bool = False, jobs_queued: Any = None,
                 consumers: Mapping[str, Sequence[Follower]] | None = None,
                 catalog: Catalog | None = None, catalog_changed: Any = None) -> None:
        self.database = database
        # SQLite has one writer at a time; a busy process can keep a write transaction open for seconds between
        # statements, and another connection waiting in SQLite gives up after busy_timeout ("database is
        # locked") while holding a pooled connection. So writers in this process queue here instead.
        self._write_lock = database.write_lock if write and database.is_sqlite else None
        self._write = write  # reads run outside a transaction (Database.connect)
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
        try:
            self.connection = await _checked_out(self.database, self.database.connect(read_only=not self._write))
            if self._write:
                await self.connection.begin()
        except BaseException:
            if self._write_lock is not None:
                self._write_lock.release()
            raise
        self._outbox = []
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        # Nothing is saved without commit(): closing rolls back, and returns the connection even when cancelled.
        try:
            await _returned(self.database, self.connection)
        finally:
            if self._write_lock is not None:
                self._write_lock.release()
            self.__dict__.pop('queue_admin', None)  # its callback is bound to us: no cycle left for the collector
        if isinstance(exc, IntegrityError):  # from commit() or a statement no repository method marks
            raise ConstraintConflict() from exc

    @cached_property
    def workflows(self) -> WorkflowRepository:
        return WorkflowRepository(self.connection, self._catalog)

    @cached_property
    def queue_admin(self) -> QueueAdminRepository:
        # Its callback binds this unit of work, a reference cycle that patches.gc_policy's frozen collector would keep;
        # __aexit__ drops it again.
        return QueueAdminRepository(self.connection, on_change=self._changing_catalog)

    def _changing_catalog(self) -> None:
        """A queue or workflow is being changed: read them from the database, and have caches forget at commit."""
        self.workflows.catalog = None
        if self._catalog_changed is not None and self._catalog_changed not in self._outbox:
            self._outbox.append(self._catalog_changed)

    def emit(self, event: Any) -> None:
        """Publish `event` once this unit of work commits."""
        self._outbox.append(event)

    async def announce(self, event: Any) -> None:
        """Publish an event that stores nothing (someone is typing) at once: in a read-only unit of work the other
        instances' NOTIFY goes out with its one statement, no transaction around it."""
        if self._write:
            raise RuntimeError('announce() in a writing unit of work: emit() the event, it goes out at commit')
        if self._announcer is not None:
            await self._announcer.announce(self.connection, [event])
        self._publish(event)

    async def commit(self) -> None:
        """Save the events, queue their followers' jobs, tell the other instances, commit, then publish here.

        The events' places in the live stream are taken inside COMMIT, under the event log's lock, by PostgreSQL
        itself (storage/events.py): no round trip of ours waits inside that lock. It was taken at the insert once,
        and each round trip from there to COMMIT waited for this process's event loop to come back to the
        transaction, which on a busy server queued every writer of every instance for seconds (bench/live_load.py
        scenario 8). What needs no event id still goes first (the gates, the NOTIFY, the workers' wake-up)."""
        if not self._write:
            raise RuntimeError('commit() in a read-only unit of work: open it with uow(write=True)')
        events: EventRepository | None = self.__dict__.get('events')
        followed = await self._followed(events.added) if events is not None else []
        jobs: JobRepository | None = self.__dict__.get('jobs')
        if (followed or (jobs is not None and jobs.added)) and self._jobs_queued is not None:
            self._outbox.append(self._jobs_queued)
        if self._announcer is not None and self._outbox:
            await self._announcer.announce(self.connection, self._outbox)
        if events is not None:
            await events.save()  # gives the events of `followed` their ids
        if followed:
            await self.jobs.add_many([
                NewJob(job_kind, {'event_id': event.id, 'kind': event.kind, 'request_id': event.request_id,
                                  'actor_id': event.actor_id, 'channel': event.channel, 'data': event.data},
                       dedup_key=f'{job_kind}:{event.id}')
                for event, job_kind in followed])
        if 'jobs' in self.__dict__:
            self.jobs.added = 0
        await self.connection.commit()
        published, self._outbox = self._outbox, []
        for event in published:
            self._publish(event)

    async def _followed(self, events: list[NewEvent]) -> list[tuple[NewEvent, str]]:
        """The (event, job kind) pairs whose gate wants a job, asked in this transaction before the events are
        saved (a gate reads no id)."""
        return [(event, job_kind) for event in events for job_kind, gate in self._consumers.get(event.kind, ())
                if gate is None or await gate(self, event)]


# A page closed in the middle of a read cancels its task. Checking a connection out and handing it back are
# shielded from that, so the connection always goes back to the pool instead of being left to the collector.
# The shield's task costs two turns of the event loop, each a wait behind everything else ready to run: on a busy
# server (bench/live_load.py scenario 8: p50 12 ms, p95 150 ms a checkout) more than the reads themselves. So what
# asks nothing of the server, and so cannot be cancelled halfway, is done directly: taking an idle PostgreSQL
# connection, and handing one back outside a transaction.

async def _checked_out(database: Database, connection: AsyncConnection) -> AsyncConnection:
    if database.idle_connection():
        return await connection.start()
    starting = asyncio.ensure_future(connection.start())
    try:
        return await asyncio.shield(starting)
    except asyncio.CancelledError:
        starting.add_done_callback(_close_when_started)
        raise


def _close_when_started(starting: asyncio.Future[AsyncConnection]) -> None:
    if not starting.cancelled() and starting.exception() is None:
        _closing.add(closing := asyncio.ensure_future(starting.result().close()))
        closing.add_done_callback(_closing.discard)


async def _returned(database: Database, connection: AsyncConnection) -> None:
    if not database.is_sqlite and not connection.in_transaction():
        await connection.close()
        return
    closing = asyncio.ensure_future(connection.close())
    _closing.add(closing)
    closing.add_done_callback(_closing.discard)
    await asyncio.shield(closing)


_closing: set[asyncio.Future[None]] = set()  # the event loop keeps only weak references to tasks


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = False) -> UnitOfWork: ...
