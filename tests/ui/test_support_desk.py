"""The support loop in the simulated browser: customer chat, the agent's live inbox, replies, notes, receipts."""

from __future__ import annotations

import asyncio

import pytest
from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from domain.tickets.views import InboxQuery
from tests.factories import PASSWORD, make_user
from tests.ui.steps import bubbles, eventually, open_row, send, sign_in, signed_in
from ui.components import typing_notice
from ui.components.desk_row import DeskRowView
from ui.components.message_block import MessageBlock


async def first_message(customer_tab: User, text: str) -> None:
    """Open the support chat and write; it shows in the chat."""
    await customer_tab.open('/support')
    await customer_tab.should_see('Write your question below; the support team answers here.')
    send(customer_tab, text)
    await customer_tab.should_see(kind=MessageBlock, content=text)


async def test_a_customer_message_reaches_the_agents_inbox_live_and_the_reply_comes_back(create_user,
                                                                                         running_desk: Desk) -> None:
    customer_tab, agent_tab = create_user(), create_user()
    customer = await signed_in(customer_tab, running_desk)
    await signed_in(agent_tab, running_desk, role='agent')
    await agent_tab.open('/inbox')
    await agent_tab.should_see('No tickets match.')
    await agent_tab.should_see(marker='count-open', content='All open · 0')

    await customer_tab.open('/support')
    await customer_tab.should_see('Write your question below; the support team answers here.')
    send(customer_tab, 'My invoice is wrong')
    await customer_tab.should_see(kind=MessageBlock, content='My invoice is wrong')

    await agent_tab.should_see(kind=DeskRowView, content='My invoice is wrong')  # without reloading
    await agent_tab.should_see(marker='count-open', content='All open · 1')
    await agent_tab.should_see(kind=DeskRowView, content=customer.display_name)
    await open_row(agent_tab, 'My invoice is wrong')
    await agent_tab.should_see('Add internal note')
    send(agent_tab, 'Customer was billed twice', button='Add internal note')
    await agent_tab.should_see(kind=MessageBlock, content='Customer was billed twice')
    send(agent_tab, 'We will refund you today.', button='Reply')

    await customer_tab.should_see(kind=MessageBlock, content='We will refund you today.')  # live
    await customer_tab.should_not_see(content='Customer was billed twice')
    await agent_tab.should_see('added an internal note')  # on the timeline
    await agent_tab.should_see('took it')  # answering assigned the ticket to the agent who answered


async def test_the_customers_message_says_read_once_an_agent_opened_the_ticket(create_user,
                                                                              running_desk: Desk) -> None:
    customer_tab, agent_tab = create_user(), create_user()
    await signed_in(customer_tab, running_desk)
    agent = await make_user(running_desk, role='agent')
    await first_message(customer_tab, 'Is anyone there?')
    assert bubbles(customer_tab)[-1].stamp.endswith('· Sent')

    ticket_id = (await running_desk.tickets.inbox(viewer_id=agent.id, query=_open())).rows[0].id
    await sign_in(agent_tab, agent.username, path=f'/login?redirect_to=/tickets/{ticket_id}')
    await agent_tab.should_see('Add internal note')
    await eventually(lambda: bubbles(customer_tab)[-1].stamp.endswith('· Read'))


async def test_the_customer_sees_support_typing_until_it_stops(create_user, running_desk: Desk,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typing_notice, 'SHOWN_FOR', 0.5)
    customer_tab, agent_tab = create_user(), create_user()
    await signed_in(customer_tab, running_desk)
    agent = await signed_in(agent_tab, running_desk, role='agent')
    await customer_tab.open('/support')
    await customer_tab.should_see('Write your question below; the support team answers here.')
    send(customer_tab, 'Hello?')
    await customer_tab.should_see(kind=MessageBlock, content='Hello?')
    ticket_id = (await running_desk.tickets.inbox(viewer_id=agent.id, query=_open())).rows[0].id
    await agent_tab.open(f'/tickets/{ticket_id}')
    await agent_tab.should_see('Add internal note')  # the old address leads on to the three-pane desk
    await customer_tab.should_not_see('Support is typing…')
    agent_tab.find(kind=ui.textarea, content='Message').type('Let me check')
    await customer_tab.should_see('Support is typing…')
    await customer_tab.should_not_see('Support is typing…')  # half a second after the last keystroke's signal


async def test_a_visitor_is_asked_to_sign_in_and_finds_their_text_kept(user: User, running_desk: Desk) -> None:
    account = await make_user(running_desk)
    await user.open('/support')
    await user.should_see('Sign in or create an account to chat with support.')
    send(user, 'Where is my parcel?')
    await user.should_see(marker='reply-sign-in')
    user.find(marker='reply-sign-in').click()
    await user.should_see(kind=ui.button, content='Sign in')
    user.find('Username').type(account.username)
    user.find('Password').type(PASSWORD)
    user.find(kind=ui.button, content='Sign in').click()
    await user.should_see('Write your question below; the support team answers here.')
    await eventually(lambda: user.find(kind=ui.textarea, content='Message').elements.pop().value
                     == 'Where is my parcel?')


async def test_customers_are_refused_the_inbox_and_tickets(user: User, running_desk: Desk) -> None:
    customer = await signed_in(user, running_desk)
    await running_desk.support.write(actor_id=customer.id, text='mine')
    ticket_id = (await running_desk.support.chat(viewer_id=customer.id)).open_ticket_id
    await user.open('/inbox')
    await user.should_see('You do not have access to this page.')
    await user.open(f'/tickets/{ticket_id}')  # their own ticket, but on the staff page
    await user.should_see('You do not have access to this page.')


async def test_take_assigns_the_ticket_to_me(user: User, running_desk: Desk) -> None:
    customer = await make_user(running_desk)
    await running_desk.support.write(actor_id=customer.id, text='please help')
    agent = await signed_in(user, running_desk, role='agent')
    ticket_id = (await running_desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket_id is not None
    await user.open(f'/tickets/{ticket_id}')
    await user.should_see('Take')
    user.find(kind=ui.button, content='Take').click()
    await user.should_see(f'{agent.display_name} took it')  # not "admin assigned it to admin"
    view = await running_desk.tickets.ticket(viewer_id=agent.id, request_id=ticket_id)
    assert view.ticket.assignee_id == agent.id


def _open():
    from domain.tickets.views import InboxQuery
    return InboxQuery()


async def test_a_ticket_opened_as_a_request_points_to_the_chat_or_the_desk(user: User, running_desk: Desk) -> None:
    customer = await signed_in(user, running_desk)
    await running_desk.support.write(actor_id=customer.id, text='where is it')
    ticket_id = (await running_desk.support.chat(viewer_id=customer.id)).open_ticket_id
    await user.open(f'/requests/{ticket_id}')
    await user.should_see('This is a support ticket.')
    await user.should_see(kind=ui.link, content='Open the support chat')
    await user.should_not_see('Responses (')


async def test_the_customer_sees_their_ticket_closed_and_reopened_without_reloading(create_user,
                                                                                   running_desk: Desk) -> None:
    customer_tab = create_user()
    await signed_in(customer_tab, running_desk)
    agent = await make_user(running_desk, role='agent')
    await first_message(customer_tab, 'Where is my parcel?')
    await customer_tab.should_not_see('Your last ticket is closed. Your next message opens a new one.')

    [row] = (await running_desk.tickets.inbox(viewer_id=agent.id, query=InboxQuery())).rows
    view = await running_desk.tickets.ticket(viewer_id=agent.id, request_id=row.id)
    closed = next(status for status in view.next_statuses if status.kind == 'closed')
    await running_desk.requests.change_status(actor_id=agent.id, request_id=row.id, status_id=closed.id)
    await customer_tab.should_see('Your last ticket is closed. Your next message opens a new one.')
    hint = customer_tab.find('Your last ticket is closed.').elements.pop()
    shown = [type(element).__name__ for element in hint.parent_slot.children]
    assert shown[:2] == ['Column', 'Label']  # under the messages, above the typing notice and the box
    assert shown.index('Label') < shown.index('Textarea')

    view = await running_desk.tickets.ticket(viewer_id=agent.id, request_id=row.id)
    reopened = next(status for status in view.next_statuses if status.kind != 'closed')
    await running_desk.requests.change_status(actor_id=agent.id, request_id=row.id, status_id=reopened.id)
    await customer_tab.should_not_see('Your last ticket is closed. Your next message opens a new one.')
    await customer_tab.should_see(kind=MessageBlock, content='Where is my parcel?')


async def test_a_message_sent_while_the_last_one_is_still_sending_follows_it(user: User, running_desk: Desk,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    await signed_in(user, running_desk)
    await first_message(user, 'The printer is jammed')
    first_through, original = asyncio.Event(), running_desk.support.write

    async def slow_write(**kwargs: object) -> object:
        if kwargs['text'] == 'Tray 2 is empty':
            await first_through.wait()  # as a slow database would keep it
        return await original(**kwargs)
    monkeypatch.setattr(running_desk.support, 'write', slow_write)

    send(user, 'Tray 2 is empty')
    await eventually(lambda: user.find(kind=ui.button, content='Send').elements.pop().props.get('loading') is True)
    send(user, 'And tray 3 too')  # the person does not wait for the first to go
    first_through.set()
    await user.should_see(kind=MessageBlock, content='And tray 3 too')
    await user.should_see(kind=MessageBlock, content='Tray 2 is empty')
    assert [shown.body for shown in bubbles(user)][-2:] == ['Tray 2 is empty', 'And tray 3 too']
    assert user.find(kind=ui.textarea, content='Message').elements.pop().value == ''
