"""The header's unread badge counts support answers, leads to the support chat, and clears once it is opened."""

from __future__ import annotations

from nicegui.testing import User

from domain.desk import Desk
from tests.factories import make_request, make_user
from tests.ui.steps import open_row, send, signed_in
from ui.components.desk_row import DeskRowView
from ui.components.message_block import MessageBlock
from ui.header import UnreadLink


def badge(user: User) -> UnreadLink:
    return user.find(kind=UnreadLink).elements.pop()


async def test_a_staff_reply_lights_the_badge_live_leads_to_the_chat_and_clears_there(create_user,
                                                                                      running_desk: Desk) -> None:
    customer_tab, agent_tab = create_user(), create_user()
    customer = await signed_in(customer_tab, running_desk)
    await signed_in(agent_tab, running_desk, role='agent')
    await running_desk.support.write(actor_id=customer.id, text='Where is my refund?')
    await customer_tab.open('/requests')  # elsewhere when the answer comes
    await customer_tab.should_see('New request')

    await agent_tab.open('/inbox')
    await agent_tab.should_see(kind=DeskRowView, content='Where is my refund?')
    await open_row(agent_tab, 'Where is my refund?')
    await agent_tab.should_see('Add internal note')
    send(agent_tab, 'It went out today.', button='Reply')

    await customer_tab.should_see(marker='unread-badge', content='1')  # live, without reloading
    assert 'href="/support"' in badge(customer_tab).content
    customer_tab.navigate.to('/support')  # where the badge leads
    await customer_tab.should_see(kind=MessageBlock, content='It went out today.')
    await customer_tab.should_not_see(marker='unread-badge', content='1')
    assert await running_desk.conversations.unread_total(user_id=customer.id) == 0
    await customer_tab.open('/requests')  # a new page reads the count again: still none
    await customer_tab.should_see('New request')
    await customer_tab.should_not_see(marker='unread-badge', content='1')


async def test_with_support_read_the_badge_leads_to_the_responses_left(user: User, running_desk: Desk) -> None:
    customer = await signed_in(user, running_desk)
    agent, neighbour = await make_user(running_desk, role='agent'), await make_user(running_desk)
    await running_desk.support.write(actor_id=customer.id, text='Hello support')
    ticket_id = (await running_desk.support.chat(viewer_id=customer.id)).open_ticket_id
    await running_desk.tickets.reply(actor_id=agent.id, request_id=ticket_id, text='Hello customer')
    request_id = await make_request(running_desk, customer, title='Lend me a ladder')
    await running_desk.conversations.post(actor_id=neighbour.id, request_id=request_id, text='Here you go')

    await user.open('/requests')
    await user.should_see(marker='unread-badge', content='2')
    assert 'href="/support"' in badge(user).content  # the support answer first
    user.navigate.to('/support')
    await user.should_see(kind=MessageBlock, content='Hello customer')
    await user.should_see(marker='unread-badge', content='1')
    assert 'href="/responses"' in badge(user).content  # the board's response is left, on My responses
