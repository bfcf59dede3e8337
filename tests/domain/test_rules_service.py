"""The Rules page's service: staff read, admins edit; a rule is checked before it is saved and every save is audited."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from domain.desk import Desk
from domain.errors import InvalidInput, NotFound, PermissionDenied
from domain.events import RulesChanged
from domain.rules.service import RuleDraft
from storage.models import Event
from tests.domain.rule_steps import make_rule
from tests.factories import make_user


async def test_agents_read_the_rules_and_only_admins_change_them(desk: Desk) -> None:
    admin, agent, customer = [await make_user(desk, role=role) for role in ('admin', 'agent', 'customer')]
    rule_id = await make_rule(desk, admin, 'request.created', [], [{'type': 'assign', 'user_id': agent.id}])
    view = await desk.rules.overview(actor_id=agent.id)
    assert rule_id in [rule.id for rule in view.rules] and not view.editable
    assert (await desk.rules.overview(actor_id=admin.id)).editable
    draft = RuleDraft('Mine', 'request.created', [], [{'type': 'note', 'text': 'hi'}])
    with pytest.raises(PermissionDenied):
        await desk.rules.create(actor_id=agent.id, draft=draft)
    with pytest.raises(PermissionDenied):
        await desk.rules.set_enabled(actor_id=agent.id, rule_id=rule_id, enabled=False)
    with pytest.raises(PermissionDenied):
        await desk.rules.overview(actor_id=customer.id)
    with pytest.raises(PermissionDenied):
        await desk.rules.overview(actor_id=None)


@pytest.mark.parametrize(('trigger', 'conditions', 'actions', 'field', 'message'), [
    ('request.created', [{'field': 'colour', 'op': 'is', 'value': 'red'}], [{'type': 'slack'}], 'condition-0',
     'Choose what the condition looks at.'),
    ('request.created', [{'field': 'title', 'op': 'is', 'value': 'x'}], [{'type': 'slack'}], 'condition-0',
     'This condition cannot use "{op}".'),
    ('request.created', [{'field': 'title', 'op': 'contains', 'value': '  '}], [{'type': 'slack'}], 'condition-0',
     'Enter the text to look for (at most {max} characters).'),
    ('request.created', [{'field': 'telegram_chat', 'op': 'is', 'value': 'chat one'}], [{'type': 'slack'}],
     'condition-0', 'A Telegram chat id is a number.'),
    ('request.created', [{'field': 'channel', 'op': 'is', 'value': 'fax'}], [{'type': 'slack'}], 'condition-0',
     'Choose a channel.'),
    ('request.created', [{'field': 'queue', 'op': 'is', 'value': 999_999}], [{'type': 'slack'}], 'condition-0',
     'Choose a queue.'),
    ('request.created', [{'field': 'status', 'op': 'is', 'value': 'Open'},
                         {'field': 'status', 'op': 'in', 'value': ['Open', 'Sleeping']}], [{'type': 'slack'}],
     'condition-1', 'There is no status "{name}" here.'),
    ('request.created', [{'field': 'time_in_status', 'op': 'longer_than', 'value': 60}], [{'type': 'slack'}],
     'condition-0', 'Only a time-in-status rule has a duration.'),
    ('time_in_status', [{'field': 'status', 'op': 'is', 'value': 'Open'}], [{'type': 'slack'}], 'conditions',
     'A time-in-status rule needs one duration.'),
    ('time_in_status', [{'field': 'time_in_status', 'op': 'longer_than', 'value': 0}], [{'type': 'slack'}],
     'condition-0', 'Enter a duration from one second to a year.'),
    ('request.created', [], [], 'actions', 'Add at least one action.'),
    ('request.created', [], [{'type': 'slack'}, {'type': 'launch'}], 'action-1', 'Choose what the action does.'),
    ('request.created', [], [{'type': 'assign'}], 'action-0', 'Choose an active agent.'),
    ('request.created', [], [{'type': 'assign_round_robin', 'user_ids': []}], 'action-0',
     'Choose at least one agent.'),
    ('request.created', [], [{'type': 'set_status', 'status': 'Sleeping'}], 'action-0',
     'There is no status "{name}" here.'),
    ('request.created', [], [{'type': 'note', 'text': ''}], 'action-0',
     'Enter the note (at most {max} characters).'),
    ('request.created', [], [{'type': 'email', 'to': 'not an address'}], 'action-0',
     'Enter an email address, or choose the author or the assignee.'),
    ('whenever', [], [{'type': 'slack'}], 'trigger', 'Choose when the rule runs.'),
])
async def test_a_rule_that_cannot_work_is_refused_with_the_field_named(
        desk: Desk, trigger: str, conditions: list[dict[str, Any]], actions: list[dict[str, Any]], field: str,
        message: str) -> None:
    admin = await make_user(desk, role='admin')
    with pytest.raises(InvalidInput) as refused:
        await desk.rules.create(actor_id=admin.id, draft=RuleDraft('A rule', trigger, conditions, actions))
    assert (refused.value.field, refused.value.template) == (field, message)
    assert all(rule.name != 'A rule' for rule in (await desk.rules.overview(actor_id=admin.id)).rules)


async def test_only_active_staff_can_be_a_rules_agent(desk: Desk) -> None:
    admin, customer = await make_user(desk, role='admin'), await make_user(desk)
    gone = await make_user(desk, role='agent')
    await desk.users.set_active(actor_id=admin.id, user_id=gone.id, active=False)
    for user_id in (customer.id, gone.id, 999_999):
        with pytest.raises(InvalidInput) as refused:
            await make_rule(desk, admin, 'request.created', [], [{'type': 'assign', 'user_id': user_id}])
        assert refused.value.field == 'action-0'


async def test_a_status_must_belong_to_the_queue_the_rule_is_about(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    board = next(q for q in (await desk.rules.options(actor_id=admin.id)).queues if q.name == 'Board')
    on_board = [{'field': 'queue', 'op': 'is', 'value': board.id}]
    with pytest.raises(InvalidInput) as refused:
        await make_rule(desk, admin, 'request.created', on_board, [{'type': 'set_status', 'status': 'PAID'}])
    assert refused.value.field == 'action-0'
    await make_rule(desk, admin, 'request.created', on_board, [{'type': 'set_status', 'status': 'In progress'}])


async def test_a_saved_rule_is_stored_clean_and_audited_with_before_and_after(desk: Desk) -> None:
    admin, agent = await make_user(desk, role='admin'), await make_user(desk, role='agent')
    heard: list[RulesChanged] = []
    desk.hub.subscribe(RulesChanged, heard.append)
    rule_id = await make_rule(desk, admin, 'request.created',
                              [{'field': 'telegram_chat', 'op': 'is', 'value': ' 1234567 ', 'extra': 1}],
                              [{'type': 'assign', 'user_id': agent.id, 'why': 'x'}], name='  Chat to agent  ')
    [rule] = [r for r in (await desk.rules.overview(actor_id=agent.id)).rules if r.id == rule_id]
    assert rule.name == 'Chat to agent' and rule.enabled
    assert rule.conditions == [{'field': 'telegram_chat', 'op': 'is', 'value': '1234567'}]
    assert rule.actions == [{'type': 'assign', 'user_id': agent.id}]
    await desk.rules.update(actor_id=admin.id, rule_id=rule_id,
                            draft=RuleDraft('Chat to agent', 'request.created', [], [{'type': 'slack'}]))
    await desk.rules.delete(actor_id=admin.id, rule_id=rule_id)
    assert len(heard) == 3
    async with desk.worker.uow() as uow:
        rows = (await uow.connection.execute(select(Event.kind, Event.actor_id, Event.data)
                                          .where(Event.kind.like('rule.%')).order_by(Event.id))).all()
    assert [(kind, actor_id) for kind, actor_id, _ in rows] == [('rule.created', admin.id), ('rule.updated', admin.id),
                                                               ('rule.deleted', admin.id)]
    created, updated, deleted = (data for _, _, data in rows)
    assert created['before'] is None and created['after']['name'] == 'Chat to agent'
    assert updated['before']['actions'] == [{'type': 'assign', 'user_id': agent.id}]
    assert updated['after']['actions'] == [{'type': 'slack'}]
    assert deleted['before']['id'] == rule_id and deleted['after'] is None
    with pytest.raises(NotFound):
        await desk.rules.delete(actor_id=admin.id, rule_id=rule_id)


async def test_rules_run_in_the_order_admins_give_them(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    first, second, third = [await make_rule(desk, admin, 'message.received', [], [{'type': 'slack'}], name=name)
                            for name in ('first', 'second', 'third')]
    await desk.rules.move(actor_id=admin.id, rule_id=third, offset=-1)
    await desk.rules.move(actor_id=admin.id, rule_id=first, offset=-1)  # already at the top: stays
    assert [rule.id for rule in await desk.rules.enabled('message.received')] == [first, third, second]
    await desk.rules.set_enabled(actor_id=admin.id, rule_id=first, enabled=False)
    assert [rule.id for rule in await desk.rules.enabled('message.received')] == [third, second]


async def test_a_save_on_one_instance_reaches_the_rules_another_instance_runs(
        two_instances: tuple[Desk, Desk]) -> None:
    one, other = two_instances
    admin = await make_user(one, role='admin')
    assert await other.rules.enabled('message.received') == []  # read, and kept
    rule_id = await make_rule(one, admin, 'message.received', [], [{'type': 'slack'}])
    deadline = asyncio.get_running_loop().time() + 5
    while [rule.id for rule in await other.rules.enabled('message.received')] != [rule_id]:
        assert asyncio.get_running_loop().time() < deadline, 'the other instance kept its old rules'
        await asyncio.sleep(0.02)
