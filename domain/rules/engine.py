"""The rule engine: runs the enabled rules after the events that trigger them, and the timers of time-in-status rules.

Every trigger is a job (desk.follow), so a rule's work survives a restart. A rule's actions and its 'rule.fired'
record commit together; a job run again after a crash finds that record and skips the rule (idempotent). A rule
that fails is logged and recorded ('rule.failed') and the other rules still run: one bad rule never blocks a
request, nor makes its job retry forever.

Timers: when a request enters a status (and when a time-in-status rule is saved) a 'rules.timer' job is queued for
each such rule, due at status_since + duration, deduplicated per (rule, request, status_since, duration). When it
runs it fires only if the request is still in that status since that moment, so two instances never move an
order two steps at once, and a timer left from an older status does nothing.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from domain.errors import DomainError
from domain.events import RequestChanged
from domain.rules.actions import CHANNEL, Firing, apply
from domain.rules.checks import duration
from domain.rules.conditions import STABLE_FIELDS, Facts, all_hold, facts_of, on_queue
from domain.rules.service import RuleService
from storage.events import NewEvent
from storage.jobs import JobRow
from storage.rules import RuleRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from domain.desk import Desk

log = logging.getLogger(__name__)
# Event kind -> (job kind, trigger).
FOLLOWED = {'request.created': ('rules.request_created', 'request.created'),
            'message.posted': ('rules.message_posted', 'message.received'),
            'status.changed': ('rules.status_changed', 'status.changed')}
TIMER, SCHEDULE = 'rules.timer', 'rules.schedule'
TIMED = 'time_in_status'
ENTERING = ('request.created', 'status.changed')  # events after which a request is in a status: its timers start
MAX_CHAIN = 5  # rule-made status changes in a row that may set off status.changed rules again
SCHEDULE_BATCH = 200  # requests looked at per 'rules.schedule' job
QUEUES_REMEMBERED = 10_000


class RuleEngine:
    def __init__(self, uow: UnitOfWorkFactory, rules: RuleService) -> None:
        self.uow = uow
        self.rules = rules
        self._queues: dict[int, int] = {}  # request id -> queue id (see _queue_of)

    def install(self, desk: Desk) -> None:
        for event_kind, (job_kind, _trigger) in FOLLOWED.items():
            desk.follow(event_kind, job_kind, self.on_event, wanted=self.wanted)
        desk.worker.handle(TIMER, self.on_timer)
        desk.worker.handle(SCHEDULE, self.on_schedule)
        self.rules.on_saved = self.rule_saved

    async def wanted(self, uow: UnitOfWork, event: NewEvent) -> bool:
        """Whether an event needs the engine's job: an enabled rule of its trigger (or, as it enters a status, a
        time-in-status rule) whose queue conditions hold. Most events on a desk match none and cost nothing more.
        A rule saved on another instance a moment ago is seen once its RulesChanged arrives, as in on_event."""
        rules = list(await self.rules.enabled(FOLLOWED[event.kind][1], uow))
        if event.kind in ENTERING:
            rules += await self.rules.enabled(TIMED, uow)
        if event.request_id is None or not rules:
            return False
        if not any(condition.get('field') == 'queue' for rule in rules for condition in rule.conditions):
            return True
        queue_id = await self._queue_of(uow, event.request_id)
        return queue_id is not None and any(on_queue(rule.conditions, queue_id) for rule in rules)

    async def _queue_of(self, uow: UnitOfWork, request_id: int) -> int | None:
        """A request's queue (which never changes), remembered for the requests seen last. Read in the committing
        transaction: a request created in it is not visible to any other yet."""
        queue_id = self._queues.get(request_id)
        if queue_id is None:
            queue_id = await uow.requests.queue_of(request_id)
            if queue_id is not None:
                if len(self._queues) >= QUEUES_REMEMBERED:
                    self._queues.clear()
                self._queues[request_id] = queue_id
        return queue_id

    async def on_event(self, job: JobRow) -> None:
        payload = job.payload
        request_id, kind, data = payload.get('request_id'), payload['kind'], payload.get('data') or {}
        rules = await self.rules.enabled(FOLLOWED[kind][1])
        entered = kind in ENTERING
        if request_id is None or not (rules or (entered and await self.rules.enabled(TIMED))):
            return  # the common case, no rule at all: no read
        async with self.uow() as uow:
            facts = await facts_of(uow, request_id, data)
        if facts is None:
            return  # deleted since
        depth = int(data.get('depth') or 0)
        if _triggers(kind, payload.get('actor_id'), depth, facts):
            for rule in rules:
                if all_hold(rule.conditions, facts):
                    firing = Firing(rule, request_id, str(payload['event_id']), depth + 1)
                    await self.fire(firing, cause=f'event:{payload["event_id"]}', event_data=data)
        if entered:
            await self.schedule(request_id)

    async def on_timer(self, job: JobRow) -> None:
        payload = job.payload
        async with self.uow() as uow:  # the rule as saved now: this instance may not have heard of an edit yet
            rule = await uow.rules.get(payload['rule_id'])
        if rule is None or not rule.enabled or rule.trigger != TIMED or duration(rule.conditions) != payload['seconds']:
            return  # switched off, deleted, or edited: a save queues the timers it needs
        since = payload['since']
        firing = Firing(rule, payload['request_id'], f'{payload["request_id"]}@{since}', 1)
        await self.fire(firing, cause=f'timer:{since}', since=since)

    async def fire(self, firing: Firing, *, cause: str, event_data: dict[str, Any] | None = None,
                   since: str | None = None) -> None:
        """Apply a rule whose conditions hold on the request as it is now; a failure is recorded, never raised."""
        rule, request_id = firing.rule, firing.request_id
        try:
            async with self.uow(write=True) as uow:
                status_since = await uow.rules.lock(request_id)  # a rule on this request elsewhere waits for us
                if status_since is None or (rule.id, cause) in await uow.rules.ran(request_id):
                    return  # gone, or this job ran before and its work was committed
                if since is not None and _stamp(status_since) != since:
                    return  # a timer of a status the request has left (perhaps a moment ago, by another instance)
                facts = await facts_of(uow, request_id, event_data)
                if facts is None or not all_hold(rule.conditions, facts):
                    return
                done = await apply(uow, firing)
                uow.events.add('rule.fired', actor_id=None, request_id=request_id, channel=CHANNEL, rule_id=rule.id,
                               rule=rule.name, cause=cause, actions=done)
                uow.emit(RequestChanged(request_id, None))
                await uow.commit()
        except DomainError as error:  # the rule asked for something the desk refuses now
            log.warning('rule %s (%s) failed on request %s: %s', rule.id, rule.name, request_id, error.message)
            await self._failed(firing, cause, error.template, error.params)
        except Exception:
            log.exception('rule %s (%s) failed on request %s', rule.id, rule.name, request_id)
            await self._failed(firing, cause, None, {})

    async def _failed(self, firing: Firing, cause: str, template: str | None, params: dict[str, object]) -> None:
        async with self.uow(write=True) as uow:
            uow.events.add('rule.failed', actor_id=None, request_id=firing.request_id, channel=CHANNEL,
                           rule_id=firing.rule.id, rule=firing.rule.name, cause=cause, error=template,
                           params={key: str(value) for key, value in params.items()})
            uow.emit(RequestChanged(firing.request_id, None))
            await uow.commit()

    async def schedule(self, request_id: int) -> None:
        """Queue the timers of the time-in-status rules that could fire for the request's current status."""
        async with self.uow() as uow:  # most requests match no timed rule: only those that do take a writer's turn
            facts = await facts_of(uow, request_id)
        waiting = [rule for rule in await self.rules.enabled(TIMED) if facts is not None and _waits(rule, facts)]
        if not waiting:
            return
        async with self.uow(write=True) as uow:
            facts = await facts_of(uow, request_id)
            if facts is not None:
                for rule in waiting:
                    await _queue_timer(uow, rule, facts)
                await uow.commit()

    async def rule_saved(self, uow: UnitOfWork, rule: RuleRow) -> None:
        """In the saving transaction: requests already in a matching status get their timers, in the background."""
        if rule.enabled and rule.trigger == TIMED:
            version = rule.updated_at.isoformat()
            await uow.jobs.add(SCHEDULE, {'rule_id': rule.id, 'version': version, 'after_id': 0},
                               dedup_key=f'{SCHEDULE}:{rule.id}:{version}:0')

    async def on_schedule(self, job: JobRow) -> None:
        """One batch of requests for a saved rule; the next batch is another job, so each stays short."""
        payload = job.payload
        async with self.uow(write=True) as uow:
            rule = await uow.rules.get(payload['rule_id'])
            if rule is None or not rule.enabled or rule.trigger != TIMED \
                    or rule.updated_at.isoformat() != payload['version']:
                return  # changed again since: that save queued its own
            queue_ids = _values(rule, 'queue')
            batch = await uow.rules.candidates(queue_ids=queue_ids, status_names=_values(rule, 'status'),
                                               after_id=payload['after_id'], limit=SCHEDULE_BATCH)
            for candidate in batch:
                facts = await facts_of(uow, candidate.id)
                if facts is not None:
                    await _queue_timer(uow, rule, facts)
            if len(batch) == SCHEDULE_BATCH:
                after_id = batch[-1].id
                await uow.jobs.add(SCHEDULE, {**payload, 'after_id': after_id},
                                   dedup_key=f'{SCHEDULE}:{rule.id}:{payload["version"]}:{after_id}')
            await uow.commit()


def _triggers(kind: str, actor_id: int | None, depth: int, facts: Facts) -> bool:
    if kind == 'message.posted':
        return actor_id == facts.record.author_id  # staff's answers and notes are no "message received"
    return kind != 'status.changed' or depth < MAX_CHAIN


def _waits(rule: RuleRow, facts: Facts) -> bool:
    """Whether the rule could fire once the request has been long enough in its status."""
    return duration(rule.conditions) is not None and all_hold(rule.conditions, facts, only=STABLE_FIELDS)


async def _queue_timer(uow: UnitOfWork, rule: RuleRow, facts: Facts) -> None:
    seconds = duration(rule.conditions)
    if seconds is None or not _waits(rule, facts):
        return
    since = await uow.rules.status_since(facts.record.id)
    if since is None:
        return
    stamp = _stamp(since)
    await uow.jobs.add(TIMER, {'rule_id': rule.id, 'request_id': facts.record.id, 'since': stamp, 'seconds': seconds},
                       due_at=since + timedelta(seconds=seconds),
                       dedup_key=f'timer:{rule.id}:{facts.record.id}:{stamp}:{seconds}')


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _values(rule: RuleRow, field: str) -> list[Any] | None:
    """What an 'is' / 'in' condition on `field` allows, to narrow the requests looked at; None: any."""
    for condition in rule.conditions:
        if condition.get('field') == field and condition.get('op') in ('is', 'in'):
            value = condition.get('value')
            return list(value) if isinstance(value, list) else [value]
    return None
