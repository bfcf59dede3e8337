"""The Rules page: admins write rules in a dialog, agents read them, and every open page follows each save."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from domain.rules.service import RuleDraft
from domain.tickets.views import InboxQuery
from storage.rows import TicketRow
from tests.factories import make_user
from tests.ui.steps import eventually, follow, signed_in
from ui.components.nav_links import NavLinks


async def open_rules(user: User) -> None:
    await user.open('/rules')
    await user.should_see(marker='rule-list')


async def new_rule_dialog(user: User, name: str) -> None:
    user.find(marker='new-rule').click()
    await user.should_see(marker='rule-dialog')
    user.find(kind=ui.input, content='Name').type(name)


async def choose(user: User, select: str, option: str) -> None:
    [box] = user.find(kind=ui.select, content=select).elements
    options = lambda: box.options.values() if isinstance(box.options, dict) else box.options  # noqa: E731
    await eventually(lambda: any(option in str(label) for label in options()))  # a user picker reads them first
    user.find(kind=ui.select, content=select).click()
    user.find(option).click()  # the option by its text: the click chooses it in the open select


async def test_an_admin_writes_the_telegram_chat_rule_and_it_assigns_the_next_ticket(user: User,
                                                                                   running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='admin')
    agent = await make_user(running_desk, role='agent')
    await open_rules(user)
    await new_rule_dialog(user, 'Chat 1234567 to the agent')
    user.find(marker='add-condition').click()
    with user.scope(marker='condition-0'):
        await choose(user, 'Field', 'Telegram chat')
        user.find(kind=ui.input, content='Chat id').type('1234567')
    with user.scope(marker='action-0'):
        await choose(user, 'Agent', agent.display_name)
    user.find(marker='save-rule').click()
    await user.should_see('Rule "Chat 1234567 to the agent" saved.')
    await user.should_see(kind=ui.item_label, content='Chat 1234567 to the agent')
    await user.should_see('Telegram chat is 1234567')
    await user.should_see(f'assign to {agent.display_name}')
    [rule] = [r for r in await running_desk.rules.enabled('request.created') if r.name == 'Chat 1234567 to the agent']
    assert rule.conditions == [{'field': 'telegram_chat', 'op': 'is', 'value': '1234567'}]
    assert rule.actions == [{'type': 'assign', 'user_id': agent.id}]

    message = await running_desk.telegram.intake(chat_id=1234567, from_name='Ann', text='Hello', message_ref=1)
    assert message is not None
    tickets = await assigned_to(running_desk, agent.id)
    assert len(tickets) == 1 and tickets[0].assignee_id == agent.id


async def test_bad_input_is_shown_beside_it_and_nothing_typed_is_lost(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='admin')
    await open_rules(user)
    await new_rule_dialog(user, 'Keep me')
    user.find(marker='add-condition').click()
    with user.scope(marker='condition-0'):
        await choose(user, 'Field', 'Telegram chat')
        user.find(kind=ui.input, content='Chat id').type('the sales chat')
    user.find(marker='save-rule').click()
    await user.should_see('A Telegram chat id is a number.')
    with user.scope(marker='rule-dialog'):
        assert user.find(kind=ui.input, content='Name').elements.pop().value == 'Keep me'
    with user.scope(marker='condition-0'):
        chat = user.find(kind=ui.input, content='Chat id').elements.pop()
        assert chat.value == 'the sales chat'
        chat.value = '42'
    user.find(marker='save-rule').click()
    await user.should_see('Choose an active agent.')  # the action still names nobody
    await user.should_not_see('A Telegram chat id is a number.')
    assert [rule.name for rule in (await running_desk.rules.overview(actor_id=await _admin_id(running_desk))).rules
            if rule.name == 'Keep me'] == []


async def test_an_agent_reads_the_rules_without_controls(user: User, running_desk: Desk) -> None:
    admin = await make_user(running_desk, role='admin')
    await running_desk.rules.create(actor_id=admin.id, draft=RuleDraft(
        'Web tickets get a note', 'request.created', [{'field': 'channel', 'op': 'is', 'value': 'web'}],
        [{'type': 'note', 'text': 'From the site'}]))
    await signed_in(user, running_desk, role='agent')
    await user.open('/requests')
    follow(user, 'Rules')
    await user.should_see(marker='read-only')
    await user.should_see('Web tickets get a note')
    await user.should_see('Channel is Web')
    await user.should_see('add the note "From the site"')
    await user.should_not_see(marker='new-rule')
    await user.should_not_see(kind=ui.switch)  # nothing to switch


async def test_a_customer_finds_no_rules_page(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk)
    await user.open('/rules')
    await user.should_see(marker='no-access')
    await user.should_not_see(kind=NavLinks, content='Rules')


async def test_another_admins_save_shows_on_an_open_rules_page(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='admin')
    await open_rules(user)
    other = await make_user(running_desk, role='admin')
    rule_id = await running_desk.rules.create(actor_id=other.id, draft=RuleDraft(
        'Slack on every order', 'request.created', [], [{'type': 'slack'}]))
    await user.should_see(kind=ui.item_label, content='Slack on every order')
    await running_desk.rules.set_enabled(actor_id=other.id, rule_id=rule_id, enabled=False)
    await eventually(lambda: not user.find(marker=f'enabled-{rule_id}').elements.pop().value)


async def assigned_to(desk: Desk, agent_id: int) -> list[TicketRow]:
    """The agent's tickets once the rules' job has run. drain() runs what is due, but the app's own worker may
    have claimed the job a moment earlier and still be running it, so wait for the effect, not for the queue."""
    await desk.worker.drain()
    rows: list[TicketRow] = []

    async def some() -> bool:
        rows[:] = (await desk.tickets.inbox(viewer_id=agent_id, query=InboxQuery(assignee='me'))).rows
        return bool(rows)

    await eventually(some)
    return rows


async def _admin_id(desk: Desk) -> int:
    return (await make_user(desk, role='admin')).id


async def test_what_a_rule_did_reads_as_words_on_the_tickets_timeline(user: User, running_desk: Desk) -> None:
    admin = await make_user(running_desk, role='admin')
    agent = await signed_in(user, running_desk, role='agent')
    await running_desk.rules.create(actor_id=admin.id, draft=RuleDraft(
        'Telegram to the agent', 'request.created', [{'field': 'channel', 'op': 'is', 'value': 'telegram'}],
        [{'type': 'assign', 'user_id': agent.id}, {'type': 'note', 'text': 'Came by Telegram'},
         {'type': 'email', 'to': 'assignee'}]))
    message = await running_desk.telegram.intake(chat_id=777, from_name='Bob', text='Hi there', message_ref=1)
    assert message is not None
    [ticket] = await assigned_to(running_desk, agent.id)
    await user.open(f'/tickets/{ticket.id}')
    await user.should_see(f'Rule "Telegram to the agent" assigned it to {agent.display_name}')
    await user.should_see(f'Rule "Telegram to the agent" ran: assigned to {agent.display_name}; internal note added; '
                          'no email address for the assignee')
    await user.should_see('Came by Telegram')
    await user.should_see('Automation')  # the note's author


async def test_a_customer_condition_names_the_customer_not_an_id(user: User, running_desk: Desk) -> None:
    admin = await make_user(running_desk, role='admin')
    customer = await make_user(running_desk, role='customer')
    await running_desk.rules.create(actor_id=admin.id, draft=RuleDraft(
        'Their tickets get a note', 'request.created', [{'field': 'customer', 'op': 'is', 'value': customer.id}],
        [{'type': 'note', 'text': 'A regular'}]))
    await signed_in(user, running_desk, role='agent')
    await open_rules(user)
    await user.should_see('Their tickets get a note')
    await user.should_see(f'Customer is {customer.display_name}')
    await user.should_not_see(f'user #{customer.id}')
