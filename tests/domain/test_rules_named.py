"""What the rules API needs of the service: users named by username, partial changes, the whole order at once."""

from __future__ import annotations

import pytest

from domain.desk import Desk
from domain.errors import InvalidInput, NotFound, PermissionDenied
from domain.rules.service import RuleDraft
from tests.domain.rule_steps import make_rule
from tests.factories import make_user


async def test_users_may_be_named_by_username_and_are_stored_by_id(desk: Desk) -> None:
    admin, agent, customer = [await make_user(desk, role=role) for role in ('admin', 'agent', 'customer')]
    rule_id = await make_rule(desk, admin, 'request.created',
                              [{'field': 'customer', 'op': 'is', 'value': customer.username.upper()}],
                              [{'type': 'assign', 'user_id': agent.username},
                               {'type': 'assign_round_robin', 'user_ids': [agent.username, agent.id]}])
    view = await desk.rules.named(actor_id=agent.id, rule_id=rule_id)
    [rule] = view.rules
    assert rule.conditions == [{'field': 'customer', 'op': 'is', 'value': customer.id}]
    assert rule.actions == [{'type': 'assign', 'user_id': agent.id},
                            {'type': 'assign_round_robin', 'user_ids': [agent.id]}]
    assert view.usernames == {customer.id: customer.username, agent.id: agent.username} and not view.editable


async def test_an_unknown_username_gets_the_pages_message(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    customer = await make_user(desk)
    for actions, message in (([{'type': 'assign', 'user_id': 'nobody.here'}], 'Choose an active agent.'),
                             ([{'type': 'assign', 'user_id': customer.username}], 'Choose an active agent.')):
        with pytest.raises(InvalidInput) as refused:
            await make_rule(desk, admin, 'request.created', [], actions)
        assert (refused.value.field, refused.value.template) == ('action-0', message)
    with pytest.raises(InvalidInput) as refused:
        await make_rule(desk, admin, 'request.created', [{'field': 'customer', 'op': 'is', 'value': 'nobody.here'}],
                        [{'type': 'slack'}])
    assert (refused.value.field, refused.value.template) == ('condition-0', 'There is no user with this id.')


async def test_a_change_keeps_what_it_does_not_name_and_is_checked_whole(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    rule_id = await make_rule(desk, admin, 'request.created', [{'field': 'channel', 'op': 'is', 'value': 'api'}],
                              [{'type': 'slack'}], name='Before')
    await desk.rules.change(actor_id=admin.id, rule_id=rule_id, name='After', enabled=False)
    [rule] = (await desk.rules.named(actor_id=admin.id, rule_id=rule_id)).rules
    assert (rule.name, rule.enabled, rule.trigger, rule.conditions, rule.actions) == \
           ('After', False, 'request.created', [{'field': 'channel', 'op': 'is', 'value': 'api'}], [{'type': 'slack'}])
    with pytest.raises(InvalidInput) as refused:  # the kept conditions hold no duration
        await desk.rules.change(actor_id=admin.id, rule_id=rule_id, trigger='time_in_status')
    assert refused.value.field == 'conditions'
    with pytest.raises(NotFound):
        await desk.rules.change(actor_id=admin.id, rule_id=999_999, name='x')
    with pytest.raises(PermissionDenied):
        await desk.rules.change(actor_id=(await make_user(desk, role='agent')).id, rule_id=rule_id, name='x')


async def test_the_whole_order_is_set_at_once_and_only_as_a_whole(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    draft = RuleDraft('R', 'request.created', [], [{'type': 'slack'}])
    for _ in range(3):
        await desk.rules.create(actor_id=admin.id, draft=draft)
    ids = [rule.id for rule in (await desk.rules.overview(actor_id=admin.id)).rules]
    await desk.rules.reorder(actor_id=admin.id, rule_ids=ids[::-1])
    assert [rule.id for rule in (await desk.rules.overview(actor_id=admin.id)).rules] == ids[::-1]
    for wrong in (ids[:-1], [*ids, ids[0]], [*ids[:-1], 999_999]):
        with pytest.raises(InvalidInput) as refused:
            await desk.rules.reorder(actor_id=admin.id, rule_ids=wrong)
        assert refused.value.field == 'rule_ids'
    with pytest.raises(PermissionDenied):
        await desk.rules.reorder(actor_id=(await make_user(desk, role='agent')).id, rule_ids=ids)
