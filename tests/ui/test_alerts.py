"""Agents are told a customer wrote, in whatever page their tab shows: their tickets and their queues only."""

from __future__ import annotations

import re

import pytest
from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from domain.tickets.alerts import TITLE_CHARS, CustomerWroteToAgent, CustomerWroteToQueue, short
from domain.tickets.views import InboxQuery
from storage.rows import UserRow
from tests.factories import make_user, unique
from tests.ui.steps import eventually, leave_other_pages, send, signed_in
from ui.components import alerts
from ui.components.alerts import ASK_PERMISSION, SOUND
from ui.components.message_block import MessageBlock

ASKED = re.compile(re.escape(ASK_PERMISSION))


def shown(user: User) -> list[ui.notification]:
    """The tab's toasts that a customer wrote, still on screen."""
    assert user.client is not None
    return [element for element in user.client.elements.values()
            if isinstance(element, ui.notification) and 'customer-wrote' in element._markers]


def toasts(user: User) -> list[str]:
    return [element.message for element in shown(user)]


def toast_links(user: User) -> list[str]:
    return [action['href'] for element in shown(user) for action in element.props['options']['actions']]


async def settle(desk: Desk) -> None:
    """Every handler of what was published has run: a toast that should not come has had its chance."""
    await desk.hub.drain()
    await desk.hub.drain()  # the toast's event is published by a handler of the message's


async def ticket_of(desk: Desk, agent: UserRow, text: str) -> int:
    page = await desk.tickets.inbox(viewer_id=agent.id, query=InboxQuery(search=text))
    return page.rows[0].id


async def test_an_agent_on_another_page_is_told_when_a_customer_writes(create_user, running_desk: Desk) -> None:
    customer_tab, agent_tab = create_user(), create_user()
    customer = await signed_in(customer_tab, running_desk)
    agent = await signed_in(agent_tab, running_desk, role='agent')
    await agent_tab.open('/requests')  # the board: no inbox on screen

    await customer_tab.open('/support')
    await customer_tab.should_see('Write your question below; the support team answers here.')
    send(customer_tab, 'My parcel never came')
    await customer_tab.should_see(kind=MessageBlock, content='My parcel never came')

    await eventually(lambda: toasts(agent_tab) == [f'{customer.display_name} wrote: My parcel never came'])
    ticket_id = await ticket_of(running_desk, agent, 'My parcel never came')
    assert toast_links(agent_tab) == [f'/inbox/{ticket_id}']
    assert toasts(customer_tab) == []  # customers are told nothing of the kind


async def test_only_the_assignee_and_the_agents_of_the_queue_are_told(create_user, running_desk: Desk) -> None:
    mine_tab, other_tab = create_user(), create_user()
    me = await signed_in(mine_tab, running_desk, role='agent')
    other = await signed_in(other_tab, running_desk, role='agent')
    admin = await make_user(running_desk, role='admin')
    customer = await make_user(running_desk)
    [ticket_flow] = [w for w in await running_desk.queues.list_workflows(actor_id=admin.id) if w.name == 'Ticket']
    billing = await running_desk.queues.create_queue(actor_id=admin.id, name=unique('Billing '), visibility='private',
                                                     workflow_id=ticket_flow.id)
    await running_desk.alerts.save(actor_id=other.id, sound=False, browser=False, queue_ids=[billing])
    await mine_tab.open('/requests')
    await other_tab.open('/requests')

    await running_desk.support.write(actor_id=customer.id, text='Unassigned, in Support')
    await eventually(lambda: len(toasts(mine_tab)) == 1)  # every queue, by default
    await settle(running_desk)
    assert toasts(other_tab) == []  # works Billing only

    ticket_id = await ticket_of(running_desk, me, 'Unassigned, in Support')
    await running_desk.tickets.assign(actor_id=admin.id, request_id=ticket_id, assignee_id=other.id)
    await running_desk.alerts.save(actor_id=me.id, sound=False, browser=False, queue_ids=None)
    for tab in (mine_tab, other_tab):
        for toast in shown(tab):
            toast.delete()  # as when the browser reports it dismissed
    await running_desk.support.write(actor_id=customer.id, text='Now it is assigned to the other agent')
    await eventually(lambda: len(toasts(other_tab)) == 1)
    await settle(running_desk)
    assert toasts(mine_tab) == []  # assigned to someone else

    await running_desk.tickets.reply(actor_id=other.id, request_id=ticket_id, text='The agent answers')
    await running_desk.tickets.reply(actor_id=other.id, request_id=ticket_id, text='A note', note=True)
    await settle(running_desk)
    assert len(toasts(other_tab)) == 1  # not told of their own reply, nor of a note


async def test_the_agent_looking_at_the_ticket_gets_no_toast_but_the_sound_they_chose(
        user: User, running_desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    sounds: list[str] = []
    monkeypatch.setattr(alerts, 'in_browser', lambda code: sounds.append('beep') if code == SOUND else None)
    customer = await make_user(running_desk)
    await running_desk.support.write(actor_id=customer.id, text='First words')
    agent = await signed_in(user, running_desk, role='agent')
    await running_desk.alerts.save(actor_id=agent.id, sound=True, browser=False, queue_ids=None)
    ticket_id = await ticket_of(running_desk, agent, 'First words')
    await user.open(f'/inbox/{ticket_id}')
    await user.should_see(kind=MessageBlock, content='First words')
    leave_other_pages(user)  # a browser's tab leaves the page it showed; else that page hears 'More words' and rings
    await settle(running_desk)
    await running_desk.support.write(actor_id=customer.id, text='More words')
    await user.should_see(kind=MessageBlock, content='More words')
    await settle(running_desk)
    assert toasts(user) == [] and sounds == []

    await user.open('/requests')
    await running_desk.support.write(actor_id=customer.id, text='Still there?')
    await eventually(lambda: len(toasts(user)) == 1 and sounds == ['beep'])


async def test_the_profile_saves_the_alert_settings(user: User, running_desk: Desk) -> None:
    agent = await signed_in(user, running_desk, role='agent')
    await user.open('/profile')
    await user.should_see(marker='alert-settings')
    user.find(marker='alert-sound').click()
    await user.should_see('Alert settings saved.')
    choices = await running_desk.alerts.choices(actor_id=agent.id)
    assert choices.sound and not choices.browser and choices.queue_ids is None

    user.javascript_rules[ASKED] = lambda _match: 'denied'
    user.find(marker='alert-browser').click()
    await user.should_see('The browser did not allow notifications.', retries=20)
    assert not (await running_desk.alerts.choices(actor_id=agent.id)).browser
    assert not user.find(marker='alert-browser').elements.pop().value  # the box went back

    user.javascript_rules[ASKED] = lambda _match: 'granted'
    user.find(marker='alert-browser').click()
    await eventually(lambda: user.find(marker='alert-browser').elements.pop().value)
    await eventually(async_browser_on(running_desk, agent.id))


def async_browser_on(desk: Desk, user_id: int):
    async def check() -> bool:
        return (await desk.alerts.choices(actor_id=user_id)).browser
    return check


async def test_customers_have_no_alert_settings_and_their_tabs_listen_for_nothing(user: User,
                                                                                 running_desk: Desk) -> None:
    await signed_in(user, running_desk)
    await user.open('/profile')
    await user.should_see(marker='email-notifications')
    await user.should_not_see(marker='alert-settings')
    assert not running_desk.hub.listening(CustomerWroteToAgent)
    assert not running_desk.hub.listening(CustomerWroteToQueue)


async def test_a_burst_of_messages_on_several_tickets_shows_one_toast(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='agent')
    await user.open('/requests')
    first, second = await make_user(running_desk), await make_user(running_desk)
    await running_desk.support.write(actor_id=first.id, text='First customer')
    await eventually(lambda: len(toasts(user)) == 1)
    await running_desk.support.write(actor_id=second.id, text='Second customer, a moment later')
    await settle(running_desk)
    assert toasts(user) == [f'{first.display_name} wrote: First customer']  # the inbox lists the second


def test_a_long_title_is_cut_at_a_word() -> None:
    assert short('Short one') == 'Short one'
    assert short('My printer shows error 42\nand more lines') == 'My printer shows error 42'
    cut = short('word ' * 30)
    assert cut.endswith('…') and len(cut) <= TITLE_CHARS and not cut.endswith(' …')


async def test_choices_saved_elsewhere_reach_the_open_tab(user: User, running_desk: Desk) -> None:
    agent = await signed_in(user, running_desk, role='agent')
    admin = await make_user(running_desk, role='admin')
    [ticket_flow] = [w for w in await running_desk.queues.list_workflows(actor_id=admin.id) if w.name == 'Ticket']
    billing = await running_desk.queues.create_queue(actor_id=admin.id, name=unique('Billing '), visibility='private',
                                                     workflow_id=ticket_flow.id)
    await user.open('/requests')
    await running_desk.alerts.save(actor_id=agent.id, sound=False, browser=False, queue_ids=[billing])
    await settle(running_desk)
    await running_desk.support.write(actor_id=(await make_user(running_desk)).id, text='Support, not Billing')
    await settle(running_desk)
    assert toasts(user) == []
    await running_desk.support.write(actor_id=(await make_user(running_desk)).id, text='Billing', queue_id=billing)
    await eventually(lambda: len(toasts(user)) == 1)
