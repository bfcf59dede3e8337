"""The support desk on both databases: one open ticket per customer, notes, assignment, inbox, timeline."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from domain.desk import Desk
from domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from domain.tickets.views import InboxQuery
from storage.models import Request
from tests.factories import make_request, make_user


async def statuses(desk: Desk) -> dict[str, int]:
    return {s.name: s.id for s in await desk.requests.statuses()}  # the board shares the Ticket workflow


async def test_the_first_message_opens_a_ticket_and_the_next_ones_add_to_it(desk: Desk) -> None:
    customer = await make_user(desk)
    first = await desk.support.write(actor_id=customer.id, text='My printer   is on fire\nhelp')
    second = await desk.support.write(actor_id=customer.id, text='Still burning')
    chat = await desk.support.chat(viewer_id=customer.id)
    [thread] = chat.threads
    assert thread.ticket.title == 'My printer is on fire'  # the first line; the message keeps it all
    assert [m.body for m in thread.messages] == ['My printer   is on fire\nhelp', 'Still burning']
    assert first.conversation_id == second.conversation_id == thread.conversation_id
    assert chat.open_ticket_id == thread.ticket.id


async def test_a_long_first_message_gives_a_short_title_and_stays_whole_as_the_first_message(desk: Desk) -> None:
    customer = await make_user(desk)
    text = ('Hello, I ordered a blue kettle three weeks ago and it still has not arrived at my door, '
            'can you check?\nOrder 1234')
    await desk.support.write(actor_id=customer.id, text=text)
    [thread] = (await desk.support.chat(viewer_id=customer.id)).threads
    assert thread.ticket.title == 'Hello, I ordered a blue kettle three weeks ago and it still…'
    assert [m.body for m in thread.messages] == [text]


async def test_after_closing_the_next_message_opens_a_new_ticket(desk: Desk) -> None:
    customer, agent = await make_user(desk), await make_user(desk, role='agent')
    await desk.support.write(actor_id=customer.id, text='one')
    first_ticket = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert first_ticket is not None
    closed = (await statuses(desk))['Closed']
    await desk.requests.change_status(actor_id=agent.id, request_id=first_ticket, status_id=closed)
    assert (await desk.support.chat(viewer_id=customer.id)).open_ticket_id is None
    await desk.support.write(actor_id=customer.id, text='two')
    chat = await desk.support.chat(viewer_id=customer.id)
    assert chat.threads[0].ticket.id == first_ticket  # earlier history above
    assert chat.open_ticket_id not in (None, first_ticket)
    with pytest.raises(Conflict):  # reopening the old one would make two open tickets
        await desk.requests.change_status(actor_id=agent.id, request_id=first_ticket,
                                          status_id=(await statuses(desk))['Open'])


async def test_simultaneous_first_messages_open_one_ticket(desk: Desk) -> None:
    customer = await make_user(desk)
    sent = await asyncio.gather(*(desk.support.write(actor_id=customer.id, text=f'hello {n}') for n in range(4)))
    assert len({m.conversation_id for m in sent}) == 1
    async with desk.database.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(Request)
                                    .where(Request.author_id == customer.id)) == 1


async def test_private_tickets_are_seen_by_their_customer_and_staff_only(desk: Desk) -> None:
    alice, bob, agent = await make_user(desk), await make_user(desk), await make_user(desk, role='agent')
    await desk.support.write(actor_id=alice.id, text='private matter')
    ticket_id = (await desk.support.chat(viewer_id=alice.id)).open_ticket_id
    assert ticket_id is not None
    await desk.requests.open(viewer_id=alice.id, request_id=ticket_id)
    await desk.tickets.ticket(viewer_id=agent.id, request_id=ticket_id)
    for viewer_id in (bob.id, None):
        with pytest.raises(NotFound):
            await desk.requests.open(viewer_id=viewer_id, request_id=ticket_id)
    with pytest.raises(PermissionDenied):
        await desk.tickets.ticket(viewer_id=alice.id, request_id=ticket_id)
    with pytest.raises(PermissionDenied):
        await desk.tickets.inbox(viewer_id=bob.id, query=InboxQuery())
    assert (await desk.support.chat(viewer_id=bob.id)).threads == []


async def test_an_internal_note_never_reaches_the_customer(desk: Desk) -> None:
    customer, agent = await make_user(desk), await make_user(desk, role='agent')
    await desk.support.write(actor_id=customer.id, text='question')
    chat = await desk.support.chat(viewer_id=customer.id)
    ticket_id, conversation_id = chat.open_ticket_id, chat.threads[0].conversation_id
    assert ticket_id is not None
    await desk.tickets.reply(actor_id=agent.id, request_id=ticket_id, text='customer is a VIP', note=True)
    await desk.tickets.reply(actor_id=agent.id, request_id=ticket_id, text='Here is the answer')
    seen = (await desk.support.chat(viewer_id=customer.id)).threads[0].messages
    assert [m.body for m in seen] == ['question', 'Here is the answer']
    after = await desk.conversations.messages_after(viewer_id=customer.id, request_id=ticket_id,
                                                    conversation_id=conversation_id, after_id=0)
    assert 'customer is a VIP' not in [m.body for m in after]
    assert await desk.conversations.unread_total(user_id=customer.id) == 1  # the answer, not the note
    staff_view = await desk.tickets.ticket(viewer_id=agent.id, request_id=ticket_id)
    assert [(m.kind, m.body) for m in staff_view.messages] == [
        ('text', 'question'), ('note', 'customer is a VIP'), ('text', 'Here is the answer')]


async def test_answering_binds_the_ticket_and_taking_over_rebinds_it_on_the_timeline(desk: Desk) -> None:
    customer = await make_user(desk)
    anna, boris = await make_user(desk, role='agent'), await make_user(desk, role='agent')
    await desk.support.write(actor_id=customer.id, text='hi')
    ticket_id = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket_id is not None
    await desk.tickets.reply(actor_id=anna.id, request_id=ticket_id, text='Hello!')
    assert (await desk.tickets.ticket(viewer_id=anna.id, request_id=ticket_id)).ticket.assignee_id == anna.id
    await desk.tickets.take(actor_id=boris.id, request_id=ticket_id)
    assert (await desk.tickets.ticket(viewer_id=anna.id, request_id=ticket_id)).ticket.assignee == boris.display_name
    timeline = await desk.tickets.timeline(viewer_id=boris.id, request_id=ticket_id)
    assert [(e.kind, e.actor) for e in timeline] == [
        ('request.created', customer.display_name), ('message.posted', customer.display_name),
        ('assigned', anna.display_name), ('message.posted', anna.display_name), ('assigned', boris.display_name)]
    assert timeline[-1].data == {'from': anna.display_name, 'to': boris.display_name, 'to_id': boris.id}
    with pytest.raises(InvalidInput, match='active agents'):
        await desk.tickets.assign(actor_id=boris.id, request_id=ticket_id, assignee_id=customer.id)


async def test_the_inbox_filters_sorts_and_counts(desk: Desk) -> None:
    agent = await make_user(desk, role='agent')
    names = await statuses(desk)
    customers = [await make_user(desk, username=f'cust{n}_{agent.id}') for n in range(3)]
    for n, customer in enumerate(customers):
        await desk.support.write(actor_id=customer.id, text=f'Ticket about {"printer" if n else "coffee"} {n}')
    tickets = {(await desk.support.chat(viewer_id=c.id)).open_ticket_id: c for c in customers}
    first, second, third = list(tickets)
    await desk.tickets.reply(actor_id=agent.id, request_id=second, text='mine now')
    await desk.requests.change_status(actor_id=agent.id, request_id=third, status_id=names['Closed'])

    async def ids(**query: object) -> list[int]:
        page = await desk.tickets.inbox(viewer_id=agent.id, query=InboxQuery(**query))  # type: ignore[arg-type]
        return [row.id for row in page.rows]

    assert await ids() == [second, first]  # open ones, most recently updated first
    assert await ids(open_only=False, sort='created', descending=False) == [first, second, third]
    assert await ids(assignee='me') == [second]
    assert await ids(assignee='unassigned') == [first]
    assert await ids(assignee=agent.id) == [second]
    assert await ids(status_id=names['Closed']) == [third]
    assert await ids(search='PRINTER', open_only=False) == [third, second]
    assert await ids(search=f'cust0_{agent.id}') == [first]
    assert await ids(channel='telegram') == []
    page = await desk.tickets.inbox(viewer_id=agent.id, query=InboxQuery())
    assert page.counts == {names['Open']: 2, names['In progress']: 0, names['Closed']: 1}
    unread = {row.id: row.staff_unread for row in page.rows}
    assert unread == {first: True, second: False}
    await desk.tickets.mark_read(viewer_id=agent.id, request_id=first)
    row = await desk.tickets.row(viewer_id=agent.id, request_id=first)
    assert row is not None and row.staff_unread is False


async def test_staff_reading_gives_the_customer_a_read_receipt(desk: Desk) -> None:
    customer, agent = await make_user(desk), await make_user(desk, role='agent')
    message = await desk.support.write(actor_id=customer.id, text='anyone there?')
    assert (await desk.support.chat(viewer_id=customer.id)).read_upto < message.id
    ticket_id = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket_id is not None
    await desk.tickets.mark_read(viewer_id=agent.id, request_id=ticket_id)
    assert (await desk.support.chat(viewer_id=customer.id)).read_upto >= message.id


async def test_customers_can_type_only_in_their_own_ticket(desk: Desk) -> None:
    alice, bob = await make_user(desk), await make_user(desk)
    await desk.support.write(actor_id=alice.id, text='x')
    ticket_id = (await desk.support.chat(viewer_id=alice.id)).open_ticket_id
    assert ticket_id is not None
    await desk.support.typing(actor_id=alice.id, request_id=ticket_id)
    with pytest.raises(NotFound):
        await desk.support.typing(actor_id=bob.id, request_id=ticket_id)


async def test_support_answers_are_counted_apart_and_opening_the_chat_reads_every_ticket(desk: Desk) -> None:
    customer, agent, neighbour = await make_user(desk), await make_user(desk, role='agent'), await make_user(desk)
    closed = (await statuses(desk))['Closed']
    await desk.support.write(actor_id=customer.id, text='first')
    first = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    await desk.tickets.reply(actor_id=agent.id, request_id=first, text='answer one')
    await desk.requests.change_status(actor_id=agent.id, request_id=first, status_id=closed)
    await desk.support.write(actor_id=customer.id, text='second')
    second = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    await desk.tickets.reply(actor_id=agent.id, request_id=second, text='answer two')
    request_id = await make_request(desk, customer, title='Lend me a ladder')
    await desk.conversations.post(actor_id=neighbour.id, request_id=request_id, text='Here you go')
    unread = await desk.conversations.unread_places(user_id=customer.id)
    assert (unread.total, unread.support, unread.orders) == (3, 2, 0)
    assert await desk.support.mark_read(viewer_id=customer.id) is True
    unread = await desk.conversations.unread_places(user_id=customer.id)
    assert (unread.total, unread.support) == (1, 0)
    assert await desk.support.mark_read(viewer_id=customer.id) is False  # nothing left to write
