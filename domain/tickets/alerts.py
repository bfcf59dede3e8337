"""Telling agents a customer wrote: who is told of which message, and what each agent chose to be told by.

One subscriber per instance reads a posted message once and, when a customer wrote on an inbox ticket, publishes
a narrow event on this instance's hub: keyed by the assignee, or (unassigned) by the ticket's queue. Each staff tab
listens only under its own keys, so a message costs the tabs it does not concern nothing. The narrow events are
not announced to other instances: each instance derives them from the MessagePosted the bridge brings it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain import access, permissions
from domain.errors import InvalidInput
from domain.events import DomainEvent, MessagePosted, WorkflowsChanged
from domain.hub import EventHub
from domain.requests.service import RequestService
from storage.rows import QueueRow
from storage.unit_of_work import UnitOfWorkFactory
from storage.users import AlertChoices

STAFF_ONLY = 'Only staff are told of customers\' messages.'
TITLE_CHARS = 60  # the toast's line: a long title is cut at a word


@dataclass(frozen=True)
class CustomerWrote(DomainEvent):
    """A customer wrote on an inbox ticket (not a note, not staff): what a toast says, without a read per tab."""

    request_id: int
    queue_id: int
    assignee_id: int | None
    author_id: int
    customer: str
    title: str


@dataclass(frozen=True)
class CustomerWroteToAgent(CustomerWrote):
    @property
    def key(self) -> int | None:
        return self.assignee_id


@dataclass(frozen=True)
class CustomerWroteToQueue(CustomerWrote):
    """On an unassigned ticket: for the agents who work its queue."""

    @property
    def key(self) -> int | None:
        return self.queue_id


@dataclass(frozen=True)
class AlertChoicesChanged(DomainEvent):
    """An agent saved their choices: their tabs on this instance read them again (others at their next load)."""

    user_id: int

    @property
    def key(self) -> int | None:
        return self.user_id


class AlertService:
    def __init__(self, uow: UnitOfWorkFactory, hub: EventHub, requests: RequestService) -> None:
        self.uow = uow
        self.hub = hub
        self.requests = requests
        self._inbox: frozenset[int] | None = None  # ids of the inbox's queues, while no queue changes
        self._generation = 0  # forgettings so far: a read that a change overtook is not kept

    def install(self) -> None:
        self.hub.subscribe(MessagePosted, self.posted)
        # The inbox's queues, remembered: a unit of work per customer message cost ~0.5 ms of CPU (measured with
        # 50 agents listening); a queue or workflow saved here or on another instance forgets them.
        self.hub.subscribe(WorkflowsChanged, self.forget)
        self.hub.on_resync(self.forget)

    def forget(self, _event: object = None) -> None:
        self._inbox = None
        self._generation += 1

    def posted(self, event: MessagePosted) -> object:
        """Only read the message when some tab listens: with no agent online a message costs nothing here."""
        if not (self.hub.listening(CustomerWroteToAgent) or self.hub.listening(CustomerWroteToQueue)):
            return None
        return self._tell(event)

    async def _tell(self, event: MessagePosted) -> None:
        # Staff replies, the busiest kind on a desk, stop at the first check, read from memory.
        author = await self.requests.person(event.author_id)
        if author is None or permissions.is_staff(author):
            return
        record = await self.requests.record(event.request_id)
        if record is None or author.id != record.author_id:
            return  # someone answering on the board, not a customer on their ticket
        if record.queue_id not in await self._inbox_queues():
            return  # not an inbox ticket (the board, orders): those pages tell their own way
        # No read of the message itself: only staff write notes, and status lines are not posted as messages, so
        # a customer's message on their own ticket is always one they wrote.
        kind = CustomerWroteToAgent if record.assignee_id is not None else CustomerWroteToQueue
        self.hub.publish(kind(record.id, record.queue_id, record.assignee_id, author.id, author.display_name,
                              short(record.title)))

    async def _inbox_queues(self) -> frozenset[int]:
        if self._inbox is not None:
            return self._inbox
        generation = self._generation
        async with self.uow() as uow:
            found = frozenset(queue.id for queue in await uow.workflows.private_queues())
        if generation == self._generation:
            self._inbox = found
        return found

    async def choices(self, *, actor_id: int | None) -> AlertChoices:
        async with self.uow() as uow:
            actor = await access.require_staff(uow, actor_id, STAFF_ONLY)
            return await uow.users.alert_choices(actor.id)

    async def queues(self, *, actor_id: int | None) -> list[QueueRow]:
        """The queues of the inbox, which an agent may choose to be told of."""
        async with self.uow() as uow:
            await access.require_staff(uow, actor_id, STAFF_ONLY)
            return await uow.workflows.private_queues()

    async def save(self, *, actor_id: int | None, sound: bool, browser: bool,
                   queue_ids: Iterable[int] | None) -> AlertChoices:
        """`queue_ids` None: every queue of the inbox, including ones added later."""
        async with self.uow(write=True) as uow:
            actor = await access.require_staff(uow, actor_id, STAFF_ONLY)
            known = {queue.id for queue in await uow.workflows.private_queues()}
            chosen = None if queue_ids is None else tuple(dict.fromkeys(queue_ids))
            if chosen is not None and not set(chosen) <= known:
                raise InvalidInput('Choose queues of the inbox.', field='queues')
            choices = AlertChoices(sound, browser, chosen)
            await uow.users.set_alert_choices(actor.id, choices)
            await uow.commit()
        self.hub.publish(AlertChoicesChanged(actor.id))
        return choices


def short(title: str) -> str:
    """The first line, cut at a word to TITLE_CHARS."""
    line = title.strip().splitlines()[0] if title.strip() else ''
    if len(line) <= TITLE_CHARS:
        return line
    cut = line[:TITLE_CHARS - 1].rsplit(' ', 1)[0] or line[:TITLE_CHARS - 1]
    return f'{cut}…'
