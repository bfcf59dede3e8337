"""The staff desk in the simulated browser: list | conversation | context in one page, the ticket in the URL, live."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from nicegui import background_tasks, ui
from nicegui.testing import User

from domain.desk import Desk
from storage.rows import UserRow
from tests.factories import make_user
from tests.ui.steps import eventually, open_row, send, should_see_not_found, signed_in
from ui.components import desk_list
from ui.components.desk_context import DeskContext
from ui.components.desk_conversation import DeskConversation
from ui.components.desk_list import DeskList
from ui.components.desk_row import DeskRowView
from ui.components.desk_ticket import DeskTicket
from ui.components.message_block import MessageBlock


async def ticket_of(desk: Desk, text: str) -> tuple[UserRow, int]:
    """A new customer who wrote `text` to support: their ticket's id."""
    customer = await make_user(desk)
    await desk.support.write(actor_id=customer.id, text=text)
    ticket_id = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket_id is not None
    return customer, ticket_id


ONE_OFF = ('live resync', 'navigate_sub_pages', 'building sub_page')  # the desk's reads; NiceGUI's loops never end


async def settled(desk: Desk) -> None:
    """Until the reads the desk began in the background have ended (live handlers and resyncs, the list's paced
    refresh): a test that ends earlier leaves a database session open."""
    def idle() -> bool:
        return all(task.done() for task in background_tasks.running_tasks if task.get_name().startswith(ONE_OFF)) and \
            (desk_list.PACE._task is None or desk_list.PACE._task.done())
    await eventually(idle)
    await desk.hub.drain()
    await eventually(idle)


def current_path(user: User) -> str:
    assert user.client is not None
    return user.client.sub_pages_router.current_path


def shown(user: User, kind: type) -> list:
    """The elements of `kind` on the tab (none is an answer here, not a failure)."""
    assert user.client is not None
    return [element for element in user.client.layout.descendants() if isinstance(element, kind)]


def the(user: User, kind: type) -> ui.element:
    [element] = shown(user, kind)
    return element


def shown_ticket(user: User) -> int | None:
    """The ticket the desk shows, once it has read all it reads on opening (a test ending earlier would leave a
    database session open)."""
    tickets = [ticket for ticket in shown(user, DeskTicket) if ticket.opened_fully]
    return tickets.pop().ticket_id if tickets else None


async def test_choosing_a_ticket_shows_its_conversation_and_context_beside_the_same_list(user: User,
                                                                                       running_desk: Desk) -> None:
    customer, ticket_id = await ticket_of(running_desk, 'The invoice total is wrong')
    await signed_in(user, running_desk, role='agent')
    await user.open('/inbox')
    await user.should_see('Choose a ticket from the list.')
    await user.should_see(kind=DeskRowView, content='The invoice total is wrong')
    client, listed = user.client, the(user, DeskList)

    await open_row(user, 'The invoice total is wrong')  # the row's link, followed as the browser's sub pages do
    await user.should_see(kind=MessageBlock, content='The invoice total is wrong')
    await user.should_see(f'Ticket #{ticket_id}')  # the context pane
    await user.should_see('Timeline')
    context = the(user, DeskContext)
    await user.should_see(kind=ui.label, content=customer.display_name)  # in the context's facts
    assert context.ticket_id == ticket_id
    assert user.client is client and the(user, DeskList) is listed  # no page load, the list not rebuilt
    assert current_path(user) == f'/inbox/{ticket_id}'
    assert user.back_history[-1] == f'/inbox/{ticket_id}'
    await eventually(lambda: shown_ticket(user) == ticket_id)
    row = user.find(marker=f'desk-row-{ticket_id}').elements.pop()
    assert 'sb-desk-selected' in row.classes
    assert not row.default_slot.children  # one element per row, as the inbox's table rows were
    assert '>now<' in row.content
    row.tick(datetime.now(UTC) + timedelta(hours=2))  # the list looks at the ages once a minute
    assert '>2 h<' in row.content
    await settled(running_desk)


async def test_a_deep_link_opens_the_ticket_in_the_desk(user: User, running_desk: Desk) -> None:
    _, ticket_id = await ticket_of(running_desk, 'Where is my parcel?')
    await signed_in(user, running_desk, role='agent')
    await user.open(f'/inbox/{ticket_id}')
    await user.should_see(kind=ui.label, marker='desk-title', content='Where is my parcel?')
    await user.should_see(kind=DeskRowView, content='Where is my parcel?')
    await eventually(lambda: 'sb-desk-selected' in user.find(marker=f'desk-row-{ticket_id}').elements.pop().classes)
    await eventually(lambda: shown_ticket(user) == ticket_id)
    await settled(running_desk)


async def test_the_old_ticket_address_lands_on_the_desk(user: User, running_desk: Desk) -> None:
    _, ticket_id = await ticket_of(running_desk, 'Old link from an email')
    await signed_in(user, running_desk, role='agent')
    await user.open(f'/tickets/{ticket_id}')
    await user.should_see(kind=ui.label, marker='desk-title', content='Old link from an email')
    await eventually(lambda: current_path(user) == f'/inbox/{ticket_id}')
    await eventually(lambda: shown_ticket(user) == ticket_id)
    await settled(running_desk)


async def test_a_customer_message_reaches_the_list_and_the_open_conversation_live(create_user,
                                                                                 running_desk: Desk) -> None:
    customer_tab, agent_tab = create_user(), create_user()
    await signed_in(customer_tab, running_desk)
    await signed_in(agent_tab, running_desk, role='agent')
    await customer_tab.open('/support')
    await customer_tab.should_see('Write your question below; the support team answers here.')
    send(customer_tab, 'My screen flickers')
    await customer_tab.should_see(kind=MessageBlock, content='My screen flickers')

    await agent_tab.open('/inbox')
    await open_row(agent_tab, 'My screen flickers')
    await agent_tab.should_see(kind=MessageBlock, content='My screen flickers')
    send(customer_tab, 'Only on the left half')
    await agent_tab.should_see(kind=MessageBlock, content='Only on the left half')  # in the open conversation
    await agent_tab.should_see(kind=DeskRowView, content='Only on the left half')  # the row's last message

    newcomer = await make_user(running_desk)
    await running_desk.support.write(actor_id=newcomer.id, text='A second customer asks')
    await agent_tab.should_see(kind=DeskRowView, content='A second customer asks')  # a new ticket, live
    assert len(shown(agent_tab, DeskConversation)) == 1  # the open one stays
    await settled(running_desk)


async def test_the_reply_from_the_desk_reaches_the_customer(create_user, running_desk: Desk) -> None:
    customer_tab, agent_tab = create_user(), create_user()
    customer = await signed_in(customer_tab, running_desk)
    await signed_in(agent_tab, running_desk, role='agent')
    await running_desk.support.write(actor_id=customer.id, text='Can I pay by card?')
    ticket_id = (await running_desk.support.chat(viewer_id=customer.id)).open_ticket_id
    await customer_tab.open('/support')
    await agent_tab.open(f'/inbox/{ticket_id}')
    await agent_tab.should_see(kind=MessageBlock, content='Can I pay by card?')
    send(agent_tab, 'Checked: only staff see this', button='Add internal note')
    await agent_tab.should_see(kind=MessageBlock, content='Checked: only staff see this')
    send(agent_tab, 'Yes, every major card.', button='Reply')
    await customer_tab.should_see(kind=MessageBlock, content='Yes, every major card.')
    await customer_tab.should_not_see(content='Checked: only staff see this')
    await agent_tab.should_see('added an internal note')  # the context's timeline, live
    await settled(running_desk)


async def test_down_and_up_move_through_the_list(user: User, running_desk: Desk) -> None:
    _, first = await ticket_of(running_desk, 'First question')
    _, second = await ticket_of(running_desk, 'Second question')  # newer: listed above the first
    await signed_in(user, running_desk, role='agent')
    await user.open('/inbox')
    await user.should_see(kind=DeskRowView, content='First question')
    keys = user.find(kind=ui.keyboard)

    def press(key: str) -> None:
        keys.trigger('key', {'action': 'keydown', 'key': key, 'code': key, 'repeat': False, 'altKey': False,
                             'ctrlKey': False, 'metaKey': False, 'shiftKey': False, 'location': 0})

    press('ArrowDown')  # nothing chosen yet: the first row
    await eventually(lambda: shown_ticket(user) == second)
    press('ArrowDown')
    await eventually(lambda: shown_ticket(user) == first)
    assert current_path(user) == f'/inbox/{first}'
    press('ArrowDown')  # the last row: stays
    press('ArrowUp')
    await eventually(lambda: shown_ticket(user) == second)
    await user.should_see(kind=ui.label, marker='desk-title', content='Second question')
    await eventually(lambda: shown_ticket(user) == second)
    await settled(running_desk)


async def test_on_a_phone_the_url_picks_the_pane_and_details_show_the_context(user: User, running_desk: Desk) -> None:
    _, ticket_id = await ticket_of(running_desk, 'Small screen question')
    await signed_in(user, running_desk, role='agent')
    await user.open('/inbox')
    await user.should_see(kind=DeskRowView, content='Small screen question')
    list_pane = the(user, DeskList).parent_slot.parent
    detail = user.find(marker='desk').elements.pop().default_slot.children[1]
    assert 'max-md:hidden' not in list_pane.classes and 'max-md:hidden' in detail.classes

    user.navigate.to(f'/inbox/{ticket_id}')
    await user.should_see(kind=ui.label, marker='desk-title', content='Small screen question')
    await eventually(lambda: shown_ticket(user) == ticket_id)
    assert 'max-md:hidden' in list_pane.classes and 'max-md:hidden' not in detail.classes
    conversation, context = the(user, DeskConversation), the(user, DeskContext)
    assert 'max-xl:hidden' in context.classes and 'max-xl:hidden' not in conversation.classes
    user.find(marker='desk-details').click()
    assert 'max-xl:hidden' in conversation.classes and 'max-xl:hidden' not in context.classes
    user.find(marker='desk-context-back').click()
    assert 'max-xl:hidden' not in conversation.classes

    user.find(marker='desk-back').click()
    await user.should_see('Choose a ticket from the list.')
    assert current_path(user) == '/inbox'
    assert 'max-md:hidden' not in list_pane.classes and 'max-md:hidden' in detail.classes
    await settled(running_desk)


async def test_the_search_keeps_narrowing_the_list_live(user: User, running_desk: Desk) -> None:
    await ticket_of(running_desk, 'Printer jam on floor 2')
    await ticket_of(running_desk, 'Coffee machine broken')
    await signed_in(user, running_desk, role='agent')
    await user.open('/inbox')
    await user.should_see(kind=DeskRowView, content='Coffee machine broken')
    user.find('Search titles and customers').type('printer')
    await user.should_not_see(kind=DeskRowView, content='Coffee machine broken')
    await user.should_see(kind=DeskRowView, content='Printer jam on floor 2')
    await ticket_of(running_desk, 'Printer out of toner')
    await ticket_of(running_desk, 'Window does not open')
    await user.should_see(kind=DeskRowView, content='Printer out of toner')  # new and matching: shown
    await user.should_not_see(kind=DeskRowView, content='Window does not open')
    await settled(running_desk)


async def test_customers_never_reach_the_desk(user: User, running_desk: Desk) -> None:
    _, other_ticket = await ticket_of(running_desk, 'Someone else')
    customer = await signed_in(user, running_desk)
    await running_desk.support.write(actor_id=customer.id, text='mine')
    own_ticket = (await running_desk.support.chat(viewer_id=customer.id)).open_ticket_id
    await user.open('/inbox')
    await user.should_see('You do not have access to this page.')
    for ticket_id in (own_ticket, other_ticket):
        user.navigate.to(f'/inbox/{ticket_id}')  # from within the app: the same answer for every id
        await eventually(lambda ticket_id=ticket_id: current_path(user) == f'/inbox/{ticket_id}')
        await should_see_not_found(user)
        assert not shown(user, DeskList) and not shown(user, DeskConversation)
        await user.should_not_see('Someone else')
        await user.should_not_see(kind=MessageBlock)
        response = await user.http_client.get(f'/inbox/{ticket_id}')  # typed into the address bar
        assert response.status_code == 404
        assert 'Someone else' not in response.text and 'mine' not in response.text
    await user.open(f'/tickets/{own_ticket}')
    await user.should_see('You do not have access to this page.')
    await settled(running_desk)


async def test_an_unknown_ticket_says_so_beside_the_list(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='agent')
    for path in ('/inbox/999999', '/inbox/not-a-number'):
        await user.open(path)
        await user.should_see('This ticket does not exist.')
        await user.should_see(kind=ui.label, content='Inbox')
    await settled(running_desk)


async def test_the_selected_mark_follows_the_ticket_when_row_elements_are_reused(user: User,
                                                                                running_desk: Desk) -> None:
    _, first = await ticket_of(running_desk, 'First ticket')
    _, second = await ticket_of(running_desk, 'Second ticket')
    agent = await signed_in(user, running_desk, role='agent')
    await user.open(f'/inbox/{first}')
    await eventually(lambda: shown_ticket(user) == first)
    listed = the(user, DeskList)
    assert isinstance(listed, DeskList)
    await settled(running_desk)

    def marked() -> list[int]:
        return sorted(view.row.id for view in listed.rows.values() if 'sb-desk-selected' in view.classes)

    assert marked() == [first]
    before = await running_desk.tickets.inbox(viewer_id=agent.id, query=listed.query(1))
    _, third = await ticket_of(running_desk, 'Third ticket')
    after = await running_desk.tickets.inbox(viewer_id=agent.id, query=listed.query(1))
    with listed:  # shown as the list would on its next reads, without waiting for them
        listed._apply(replace(after, rows=[row for row in after.rows if row.id != first]))
    assert marked() == []  # the first ticket's element shows the third now, unmarked
    listed.select(third)
    assert marked() == [third]
    with listed:
        listed._apply(before)  # the first ticket back in the third's element
    assert marked() == []
    listed.select(second)
    assert marked() == [second]
