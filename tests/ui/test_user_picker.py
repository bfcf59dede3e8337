"""Staff choose users by name, username or email: a rule's customer and agents, never by a typed number."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from domain.rules.service import RuleDraft
from tests.factories import make_user
from tests.ui.steps import eventually, signed_in
from ui.components.user_picker import UserPicker


async def test_an_admin_picks_a_rules_customer_by_email(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='admin')
    customer = await make_user(running_desk)
    await running_desk.preferences.set_notifications(actor_id=customer.id, email='ann@shop.example', events=[])
    agent = await make_user(running_desk, role='agent')
    await user.open('/rules')
    await user.should_see(marker='rule-list')
    user.find(marker='new-rule').click()
    await user.should_see(marker='rule-dialog')
    user.find(kind=ui.input, content='Name').type('Ann to the agent')
    user.find(marker='add-condition').click()
    with user.scope(marker='condition-0'):
        user.find(kind=ui.select, content='Field').click()
        user.find('Customer').click()
        await user.should_not_see(kind=ui.number)  # no "User id" to type
        found = user.find(kind=UserPicker)
        picker = next(iter(found.elements))
        found.trigger('input-value', 'shop.EXAMPLE')  # typed into the picker: the server searches
    label = f'{customer.username} · ann@shop.example'
    await eventually(lambda: label in picker.options.values())
    with user.scope(marker='condition-0'):
        user.find(kind=UserPicker).click()
        user.find(label).click()
    with user.scope(marker='action-0'):
        user.find(kind=UserPicker, content='Agent').click()
        user.find(agent.display_name).click()
    user.find(marker='save-rule').click()
    await user.should_see('Rule "Ann to the agent" saved.')
    [rule] = [r for r in await running_desk.rules.enabled('request.created') if r.name == 'Ann to the agent']
    assert rule.conditions == [{'field': 'customer', 'op': 'is', 'value': customer.id}]
    assert rule.actions == [{'type': 'assign', 'user_id': agent.id}]


async def test_an_agent_picker_offers_staff_only_and_shows_a_saved_choice_by_name(user: User,
                                                                                 running_desk: Desk) -> None:
    admin = await signed_in(user, running_desk, role='admin')
    agent = await make_user(running_desk, role='agent')
    customer = await make_user(running_desk)
    rule_id = await running_desk.rules.create(actor_id=admin.id, draft=RuleDraft(
        name='Saved', trigger='request.created', conditions=[{'field': 'customer', 'op': 'is', 'value': customer.id}],
        actions=[{'type': 'assign', 'user_id': agent.id}]))
    await user.open('/rules')
    await user.should_see(marker=f'edit-rule-{rule_id}')
    user.find(marker=f'edit-rule-{rule_id}').click()
    await user.should_see(marker='rule-dialog')
    with user.scope(marker='condition-0'):
        customers = next(iter(user.find(kind=UserPicker).elements))
    await eventually(lambda: customers.options.get(customer.id) == customer.username)
    with user.scope(marker='action-0'):
        agents = next(iter(user.find(kind=UserPicker).elements))
    await eventually(lambda: agents.options.get(agent.id) == agent.username)
    assert customer.id not in agents.options  # the first choices offered: staff only
