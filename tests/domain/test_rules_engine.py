"""Rules at work: they fire after the events they follow, act as the system, and show on the ticket's timeline."""

from __future__ import annotations

import asyncio
import logging

import pytest

from domain.desk import Desk
from domain.rules.engine import MAX_CHAIN
from domain.rules.service import RuleDraft
from storage.database import Database
from storage.rows import UserRow
from tests.domain.rule_steps import (
    count_events,
    from_telegram,
    jobs,
    make_rule,
    notes,
    record,
    set_email,
    status_of,
    timeline,
    unfinish,
)
from tests.factories import make_user


async def test_tickets_from_a_telegram_chat_go_to_the_chosen_agent(desk: Desk) -> None:
    admin, agent = await make_user(desk, role='admin'), await make_user(desk, role='agent')
    rule_id = await make_rule(desk, admin, 'request.created', [{'field': 'telegram_chat', 'op': 'is',
                                                                'value': '1234567'}],
                              [{'type': 'assign', 'user_id': agent.id}], name='Chat 1234567 to the agent')
    ours = await from_telegram(desk, 1234567)
    theirs = await from_telegram(desk, 7654321)
    await desk.worker.drain()
    assert (await record(desk, ours)).assignee_id == agent.id
    assert (await record(desk, theirs)).assignee_id is None
    [fired] = await timeline(desk, ours, 'rule.fired')
    assert fired.actor_id is None and fired.data['rule_id'] == rule_id
    assert fired.data['rule'] == 'Chat 1234567 to the agent'
    assert fired.data['actions'] == [{'type': 'assign', 'to': agent.display_name}]
    [assigned] = await timeline(desk, ours, 'assigned')
    assert assigned.actor_id is None and assigned.data['rule'] == 'Chat 1234567 to the agent'
    assert await timeline(desk, theirs, 'rule.fired') == []


async def test_the_chat_is_known_from_the_customers_telegram_account_too(desk: Desk) -> None:
    admin, agent = await make_user(desk, role='admin'), await make_user(desk, role='agent')
    ticket_id = await from_telegram(desk, 555)
    await desk.worker.drain()
    await make_rule(desk, admin, 'message.received', [{'field': 'telegram_chat', 'op': 'is', 'value': '555'}],
                    [{'type': 'assign', 'user_id': agent.id}])
    customer_id = (await record(desk, ticket_id)).author_id
    await desk.support.write(actor_id=customer_id, text='Any news?')  # from the web chat: the event names no chat
    await desk.worker.drain()
    assert (await record(desk, ticket_id)).assignee_id == agent.id


async def test_staff_answers_are_no_received_message(desk: Desk) -> None:
    admin, agent = await make_user(desk, role='admin'), await make_user(desk, role='agent')
    customer = await make_user(desk)
    await desk.support.write(actor_id=customer.id, text='Hello')
    ticket_id = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket_id is not None
    await desk.worker.drain()
    await make_rule(desk, admin, 'message.received', [], [{'type': 'note', 'text': 'The customer wrote again'}])
    await desk.tickets.reply(actor_id=agent.id, request_id=ticket_id, text='Looking into it')
    await desk.worker.drain()
    assert await notes(desk, ticket_id) == []
    await desk.support.write(actor_id=customer.id, text='Thanks')
    await desk.worker.drain()
    assert await notes(desk, ticket_id) == ['The customer wrote again']


async def test_round_robin_picks_the_agent_with_fewest_open_tickets_ties_to_the_lowest_id(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    first, second, third = [await make_user(desk, role='agent') for _ in range(3)]
    busy = await from_telegram(desk, 1)
    await desk.tickets.assign(actor_id=admin.id, request_id=busy, assignee_id=first.id)
    await desk.worker.drain()
    await make_rule(desk, admin, 'request.created', [{'field': 'channel', 'op': 'is', 'value': 'telegram'}],
                    [{'type': 'assign_round_robin', 'user_ids': [third.id, second.id, first.id]}])
    assignees = []
    for chat in (2, 3, 4):  # one after the other: jobs of one batch run side by side, in no fixed order
        ticket = await from_telegram(desk, chat)
        await desk.worker.drain()
        assignees.append((await record(desk, ticket)).assignee_id)
    assert assignees == [second.id, third.id, first.id]  # ids grow with creation: ties go to the earlier agent
    await desk.users.set_active(actor_id=admin.id, user_id=second.id, active=False)
    await desk.users.set_active(actor_id=admin.id, user_id=third.id, active=False)
    d = await from_telegram(desk, 5)
    await desk.worker.drain()
    assert (await record(desk, d)).assignee_id == first.id  # inactive agents get nothing


async def test_a_rule_sets_the_status_and_adds_a_note_as_the_system(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    await make_rule(desk, admin, 'request.created', [{'field': 'title', 'op': 'contains', 'value': 'FIRE'}],
                    [{'type': 'set_status', 'status': 'In progress'}, {'type': 'note', 'text': 'Urgent: call them'}],
                    name='Fires first')
    ticket_id = await from_telegram(desk, 42, text='my printer is on fire')
    calm = await from_telegram(desk, 43, text='a question about toner')
    await desk.worker.drain()
    assert await status_of(desk, ticket_id) == 'In progress'
    assert await notes(desk, ticket_id) == ['Urgent: call them']
    assert await status_of(desk, calm) == 'Open' and await notes(desk, calm) == []
    changed = await timeline(desk, ticket_id, 'status.changed', 'note.added', 'rule.fired')
    assert [event.kind for event in changed] == ['status.changed', 'note.added', 'rule.fired']
    assert all(event.actor_id is None for event in changed)
    assert changed[-1].data['actions'] == [{'type': 'set_status', 'to': 'In progress'}, {'type': 'note'}]


async def test_an_email_action_queues_one_email_per_recipient(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    await make_rule(desk, admin, 'request.created', [],
                    [{'type': 'email', 'to': 'author'}, {'type': 'email', 'to': 'ops@example.com'},
                     {'type': 'email', 'to': 'assignee'}, {'type': 'slack'}])
    ticket_id = await from_telegram(desk, 9)
    await set_email(desk, await _author(desk, ticket_id), 'customer@example.com')
    await desk.worker.drain()
    emails = sorted(await jobs(desk, 'email.send'), key=lambda job: job.payload['to'])
    assert [job.payload['to'] for job in emails] == ['customer@example.com', 'ops@example.com']
    assert all(job.payload['subject'].startswith(f'#{ticket_id} ') for job in emails)
    assert all(job.dedup_key and job.dedup_key.startswith('rule-email:') for job in emails)
    [slack] = await jobs(desk, 'slack.post')
    assert f'#{ticket_id}' in slack.payload['text']
    [fired] = await timeline(desk, ticket_id, 'rule.fired')
    assert {'type': 'email', 'to': 'assignee', 'skipped': True} in fired.data['actions']  # nobody assigned yet


async def test_nothing_happens_when_the_conditions_do_not_hold(desk: Desk) -> None:
    admin, agent = await make_user(desk, role='admin'), await make_user(desk, role='agent')
    support = next(q for q in (await desk.rules.options(actor_id=admin.id)).queues if q.name == 'Support')
    await make_rule(desk, admin, 'request.created',
                    [{'field': 'queue', 'op': 'is', 'value': support.id},
                     {'field': 'channel', 'op': 'is', 'value': 'web'},
                     {'field': 'status', 'op': 'is_not', 'value': 'Open'}],
                    [{'type': 'assign', 'user_id': agent.id}])
    ticket_id = await from_telegram(desk, 77)
    await desk.worker.drain()
    assert (await record(desk, ticket_id)).assignee_id is None
    assert await timeline(desk, ticket_id, 'rule.fired', 'rule.failed') == []


async def test_a_failing_rule_is_logged_and_recorded_and_the_next_rule_still_runs(
        desk: Desk, caplog: pytest.LogCaptureFixture) -> None:
    admin, agent = await make_user(desk, role='admin'), await make_user(desk, role='agent')
    broken = await make_rule(desk, admin, 'request.created', [], [{'type': 'note', 'text': 'rolled back with the rest'},
                                                                 {'type': 'assign', 'user_id': agent.id}])
    await make_rule(desk, admin, 'request.created', [], [{'type': 'note', 'text': 'Second rule ran'}])
    await desk.users.set_active(actor_id=admin.id, user_id=agent.id, active=False)  # the first rule's agent left
    with caplog.at_level(logging.WARNING, logger='domain.rules.engine'):
        ticket_id = await from_telegram(desk, 31)
        await desk.worker.drain()
    assert any(f'rule {broken}' in line and 'active agents only' in line for line in caplog.messages)
    [failed] = await timeline(desk, ticket_id, 'rule.failed')
    assert failed.data['rule_id'] == broken and failed.data['error'] == 'Tickets go to active agents only.'
    assert await notes(desk, ticket_id) == ['Second rule ran']  # the failed rule's note went with it
    assert {job.status for job in await jobs(desk, 'rules.request_created')} == {'done'}  # no retries


async def test_an_edit_takes_effect_at_once(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    first, second = await make_user(desk, role='agent'), await make_user(desk, role='agent')
    rule_id = await make_rule(desk, admin, 'request.created', [], [{'type': 'assign', 'user_id': first.id}])
    before = await from_telegram(desk, 61)
    await desk.worker.drain()
    assert [rule.id for rule in await desk.rules.enabled('request.created')] == [rule_id]  # cached now
    await desk.rules.update(actor_id=admin.id, rule_id=rule_id,
                            draft=RuleDraft('To the second agent', 'request.created', [],
                                            [{'type': 'assign', 'user_id': second.id}]))
    after = await from_telegram(desk, 62)
    await desk.worker.drain()
    assert (await record(desk, before)).assignee_id == first.id
    assert (await record(desk, after)).assignee_id == second.id
    await desk.rules.set_enabled(actor_id=admin.id, rule_id=rule_id, enabled=False)
    off = await from_telegram(desk, 63)
    await desk.worker.drain()
    assert (await record(desk, off)).assignee_id is None


async def test_a_job_run_again_after_a_crash_does_not_apply_a_rule_twice(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    await make_rule(desk, admin, 'request.created', [], [{'type': 'note', 'text': 'Once'},
                                                         {'type': 'email', 'to': 'ops@example.com'}])
    ticket_id = await from_telegram(desk, 88)
    await desk.worker.drain()
    await unfinish(desk, 'rules.request_created')
    await desk.worker.drain()
    assert {job.status for job in await jobs(desk, 'rules.request_created')} == {'done'}
    assert await notes(desk, ticket_id) == ['Once']
    assert len(await timeline(desk, ticket_id, 'rule.fired')) == 1
    assert len(await jobs(desk, 'email.send')) == 1


async def test_rules_that_set_each_other_off_stop_after_a_few_rounds(desk: Desk) -> None:
    admin, agent = await make_user(desk, role='admin'), await make_user(desk, role='agent')
    await make_rule(desk, admin, 'status.changed', [{'field': 'status', 'op': 'is', 'value': 'In progress'}],
                    [{'type': 'set_status', 'status': 'Open'}])
    await make_rule(desk, admin, 'status.changed', [{'field': 'status', 'op': 'is', 'value': 'Open'}],
                    [{'type': 'set_status', 'status': 'In progress'}])
    ticket_id = await from_telegram(desk, 99)
    await desk.worker.drain()
    progress = next(s for s in (await desk.tickets.ticket(viewer_id=agent.id, request_id=ticket_id)).next_statuses
                    if s.name == 'In progress')
    await desk.requests.change_status(actor_id=agent.id, request_id=ticket_id, status_id=progress.id)
    await desk.worker.drain()
    assert await count_events(desk, 'status.changed') == 1 + MAX_CHAIN


async def _author(desk: Desk, ticket_id: int) -> UserRow:
    async with desk.worker.uow() as uow:
        author = await uow.users.get((await record(desk, ticket_id)).author_id)
    assert author is not None
    return author


async def test_the_rules_gate_reads_on_the_committing_connection_even_with_a_pool_of_one(desk: Desk) -> None:
    """The gate runs inside the committing transaction: a second connection there waited for the pool while every
    other writer held theirs (30 s stalls under load)."""
    if desk.database.is_sqlite:
        pytest.skip('the pool of one is PostgreSQL’s')
    database = Database(desk.database.url, pool_size=1, max_overflow=0)
    tight = Desk.build(database, secret_key='test secret', bcrypt_rounds=4)
    tight.start()
    try:
        await database.ready()
        customer = await make_user(tight)
        await asyncio.wait_for(tight.support.write(actor_id=customer.id, text='first, with nothing cached'), 10)
        tight.rules.forget()  # as after a resync: the next commit's gate reads the rules again
        await asyncio.wait_for(tight.support.write(actor_id=customer.id, text='again'), 10)
    finally:
        await tight.stop()
