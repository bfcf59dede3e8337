"""The desk: every service and the event hub, built once per start by the composition root."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Coroutine
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from domain.accounts.identities import IdentityService
from domain.accounts.service import AccountService
from domain.accounts.tokens import TokenService
from domain.accounts.users_admin import UserAdminService
from domain.audit import AuditService
from domain.coalesce import MANY_KEYS, Coalescer
from domain.events import (
    EVENT_KINDS,
    JobsQueued,
    MessagePosted,
    RequestChanged,
    RequestCreated,
    RulesChanged,
    SessionsRevoked,
    UnreadChanged,
    WebhooksChanged,
    WorkflowsChanged,
)
from domain.files import FileLimits, FileService
from domain.hub import EventHub
from domain.jobs.preferences import PreferenceService
from domain.jobs.service import JobService
from domain.jobs.worker import Handler, Worker
from domain.orders.service import OrderService
from domain.queues.service import QueueAdminService
from domain.requests.conversations import ConversationService
from domain.requests.service import RequestService
from domain.rules.engine import RuleEngine
from domain.rules.service import RuleService
from domain.stream.service import EventStreamService
from domain.tickets.alerts import AlertService
from domain.tickets.count_folding import CountFolding
from domain.tickets.queues import QueueTicketService
from domain.tickets.service import TicketService
from domain.tickets.support import SupportService
from domain.tickets.telegram import TelegramService
from domain.webhooks.service import WebhookService
from domain.widgets.joining import WidgetJoining
from domain.widgets.presence import Presence
from domain.widgets.service import WidgetService
from domain.widgets.visitors import WidgetChatService
from storage.catalog import Catalog
from storage.database import Database
from storage.files import FileStore
from storage.notify import Announcer, Listener
from storage.rows import UserRow
from storage.unit_of_work import Follower, Gate, UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class Desk:
    database: Database
    hub: EventHub
    accounts: AccountService
    requests: RequestService
    conversations: ConversationService
    queues: QueueAdminService
    support: SupportService
    tickets: TicketService
    queue_tickets: QueueTicketService  # tickets in every queue, as API clients work them
    users: UserAdminService
    files: FileService
    tokens: TokenService
    identities: IdentityService
    jobs: JobService
    orders: OrderService
    preferences: PreferenceService
    telegram: TelegramService
    audit: AuditService
    rules: RuleService
    worker: Worker
    webhooks: WebhookService
    widgets: WidgetService  # chat widgets other sites embed (admins)
    widget_chat: WidgetChatService  # their anonymous visitors' conversations
    widget_joining: WidgetJoining  # visitors who sign in inside the widget, or whom the host site vouches for
    listener: Listener | None = None
    presence: Presence = field(default_factory=Presence)  # staff and visitors with a page open, in this process
    stream: EventStreamService = field(init=False)  # API clients' live events (/api/v1/events)
    alerts: AlertService = field(init=False)  # agents told a customer wrote (toasts, sounds)
    count_folding: CountFolding | None = None  # PostgreSQL: the ticket counts' deltas moved in (storage/tickets.py)
    _consumers: dict[str, list[Follower]] = field(default_factory=dict)
    _after_start: list[asyncio.Task[None]] = field(default_factory=list)

    def follow(self, event_kind: str, job_kind: str, handler: Handler, *, wanted: Gate | None = None) -> None:
        """Run `handler` as a job after every committed event of `event_kind` (payload: the event's fields), or
        only after those for which `wanted(event)` says so in the committing transaction."""
        followers = self._consumers.setdefault(event_kind, [])
        if all(kind != job_kind for kind, _gate in followers):
            followers.append((job_kind, wanted))
        self.worker.handle(job_kind, handler)

    def start(self) -> None:
        """Open the database (migrations run in the background) and, with several instances, the event bridge."""
        self.database.start()
        if self.listener is not None:
            self.listener.start()
        self.worker.start()
        if self.count_folding is not None:
            self.count_folding.start()

    def after_start(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` once the database is ready (demo seeding); `ready()` waits for it."""
        async def run() -> None:
            await self.database.ready()
            await work
        self._after_start.append(asyncio.get_running_loop().create_task(run()))

    async def ready(self) -> None:
        await self.database.ready()
        await asyncio.gather(*self._after_start)

    @property
    def started(self) -> bool:
        """Migrations applied and start-up work (demo seeding) done, without waiting: pages and API may serve."""
        return self.database.is_ready and all(task.done() for task in self._after_start)

    async def stop(self) -> None:
        """Let handlers and start-up work finish briefly, then close the database."""
        for task in self._after_start:
            task.cancel()
        try:
            await asyncio.wait_for(self.hub.drain(), timeout=2)
        except TimeoutError:
            log.warning('event handlers still running at shutdown')
        await self.stream.stop()
        await self.worker.stop()
        if self.count_folding is not None:
            await self.count_folding.stop()
        if self.listener is not None:
            await self.listener.stop()
        await self.database.stop()

    @classmethod
    def build(cls, database: Database, *, secret_key: str, bcrypt_rounds: int = 12, files_dir: Path | None = None,
              file_limits: FileLimits | None = None, shared_events: bool = False) -> Desk:
        """Wire the services; files go to `files_dir` (a temporary directory when none is given, as in tests).

        With `shared_events` (PostgreSQL, several instances) events also travel through LISTEN/NOTIFY.
        """
        hub = EventHub()
        consumers: dict[str, list[Follower]] = {}  # filled by follow(): event kind -> job kinds and gates
        announcer = Announcer() if shared_events and not database.is_sqlite else None

        catalog = Catalog()

        def uow(*, write: bool = False) -> UnitOfWork:
            return UnitOfWork(database, hub.publish, announcer, write=write, jobs_queued=JobsQueued(),
                              consumers=consumers, catalog=catalog, catalog_changed=WorkflowsChanged())

        store = FileStore(files_dir or Path(tempfile.mkdtemp(prefix='switchboard-files-')))
        viewers: Coalescer[UserRow | None] = Coalescer(max_keys=MANY_KEYS)  # shared by the services' hot reads
        files = FileService(uow, store, file_limits or FileLimits())
        accounts = AccountService(uow, secret_key=secret_key, bcrypt_rounds=bcrypt_rounds, viewers=viewers)
        requests = RequestService(uow, viewers)
        support, identities = SupportService(uow, files, requests), IdentityService(uow, accounts)
        tickets = TicketService(uow, files, requests)
        widget_chat = WidgetChatService(uow, support, secret_key=secret_key)
        desk = cls(database=database, hub=hub, accounts=accounts,
                   requests=requests, orders=OrderService(uow, requests),
                   conversations=ConversationService(uow, files, requests),
                   queues=QueueAdminService(uow), support=support,
                   tickets=tickets, queue_tickets=QueueTicketService(uow, files, requests, tickets),
                   users=UserAdminService(uow, bcrypt_rounds=bcrypt_rounds),
                   files=files, identities=identities,
                   tokens=TokenService(uow, accounts, viewers, secret_key=secret_key),
                   telegram=TelegramService(uow, support, identities, files),
                   preferences=PreferenceService(uow),
                   jobs=JobService(uow), audit=AuditService(uow), rules=RuleService(uow), worker=Worker(uow),
                   webhooks=WebhookService(uow),
                   widgets=WidgetService(uow), widget_chat=widget_chat,
                   widget_joining=WidgetJoining(uow, accounts, widget_chat),
                   listener=Listener(database.url, announcer, EVENT_KINDS, deliver=hub.publish,
                                     resync=partial(_reconnected, database, hub))
                   if announcer else None, _consumers=consumers)
        desk.stream = EventStreamService(uow, hub, desk.tokens)
        desk.alerts = AlertService(uow, hub, desk.requests)
        if not database.is_sqlite:
            desk.count_folding = CountFolding(uow)
        # Reads made before a change are stale after it.
        for shared in (desk.requests.pages, desk.tickets.pages, desk.tickets.waiting_counts, desk.orders.pages):
            for kind in (RequestCreated, RequestChanged):
                hub.subscribe(kind, shared.forget)
            hub.on_resync(shared.forget)
        for kind in (RequestCreated, RequestChanged):  # a created one too: it may have been asked for (and missing)
            hub.subscribe(kind, lambda event: desk.requests.records.forget_key(event.request_id))
        hub.on_resync(desk.requests.records.forget)
        conversations = desk.conversations
        for shared in (conversations.shown, conversations.threads, conversations.unread):
            hub.subscribe(MessagePosted, shared.forget)  # catch-all: before any tab's handler re-reads
            hub.on_resync(shared.forget)
        hub.subscribe(UnreadChanged, lambda event: conversations.unread.forget_key(event.user_id))
        for kind in (RequestChanged, SessionsRevoked):  # a thread is read with its viewer's rights on the request
            hub.subscribe(kind, conversations.threads.forget)
        hub.subscribe(JobsQueued, desk.worker.wake)  # from this instance or, through NOTIFY, another
        hub.subscribe(SessionsRevoked, viewers.forget)  # a role or an account changed
        hub.subscribe(RulesChanged, desk.rules.forget)  # saved here or, through NOTIFY, on another instance
        hub.subscribe(WorkflowsChanged, catalog.forget)  # likewise
        hub.on_resync(catalog.forget)
        hub.subscribe(WebhooksChanged, desk.webhooks.forget)  # which events have listeners, on every instance
        hub.on_resync(desk.webhooks.forget)
        hub.on_resync(desk.rules.forget)
        RuleEngine(uow, desk.rules).install(desk)
        desk.alerts.install()  # after the caches' forgetting above: it reads the request as it is now
        hub.on_resync(viewers.forget)
        return desk


def _reconnected(database: Database, hub: EventHub) -> None:
    """The event bridge is back after losing the server: the pool's connections are dead, pages re-read."""
    database.forget_connections()
    hub.resync()
