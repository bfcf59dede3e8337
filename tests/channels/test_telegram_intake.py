"""Telegram intake in the domain, on both databases: a chat's customer, their one open ticket, each message once."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from domain.desk import Desk
from domain.errors import NotSignedIn
from domain.files import Upload
from domain.tickets.support import SUPPORT
from domain.tickets.views import InboxQuery
from storage.models import Event, Message, User
from tests.factories import make_user

CHAT = 700_100_200


async def ticket_of(desk: Desk, customer_id: int) -> int | None:
    return (await desk.support.chat(viewer_id=customer_id)).open_ticket_id


async def customer_of(desk: Desk, chat_id: int) -> int:
    async with desk.support.uow() as uow:
        owner = await uow.identities.owner('telegram', str(chat_id))
    assert owner is not None
    return owner


async def test_a_chats_first_message_makes_a_customer_and_opens_a_telegram_ticket(desk: Desk) -> None:
    posted = await desk.telegram.intake(chat_id=CHAT, from_name='Grace Hopper', text='My order never came',
                                        message_ref=1, username='grace')
    assert posted is not None and posted.body == 'My order never came'
    customer_id = await customer_of(desk, CHAT)
    async with desk.database.connect() as connection:
        user = (await connection.execute(select(User).where(User.id == customer_id))).one()
        events = (await connection.execute(select(Event.kind, Event.channel, Event.data).order_by(Event.id))).all()
        ref = await connection.scalar(select(Message.external_ref).where(Message.id == posted.id))
    assert (user.display_name, user.username, user.role, user.password_hash) == \
        ('Grace Hopper', 'grace', 'customer', None)
    assert ref == f'tg:{CHAT}:1'
    kinds = {kind: (channel, data) for kind, channel, data in events}
    assert kinds['request.created'][0] == kinds['message.posted'][0] == 'telegram'
    assert kinds['request.created'][1]['telegram_chat'] == kinds['message.posted'][1]['telegram_chat'] == str(CHAT)
    ticket_id = await ticket_of(desk, customer_id)
    agent = await make_user(desk, role='agent')
    view = await desk.tickets.ticket(viewer_id=agent.id, request_id=ticket_id)
    assert (view.ticket.channel, view.ticket.queue, view.ticket.title) == ('telegram', SUPPORT, 'My order never came')
    inbox = await desk.tickets.inbox(viewer_id=agent.id, query=InboxQuery(channel='telegram'))
    assert [row.id for row in inbox.rows] == [ticket_id]


async def test_a_telegram_ticket_is_titled_by_the_first_line_of_its_first_message(desk: Desk) -> None:
    text = 'Where is my parcel?\nI paid on Monday and the tracking page says nothing at all since then.'
    await desk.telegram.intake(chat_id=CHAT, from_name='Grace', text=text, message_ref=1)
    customer_id = await customer_of(desk, CHAT)
    [thread] = (await desk.support.chat(viewer_id=customer_id)).threads
    assert (thread.ticket.title, thread.messages[0].body) == ('Where is my parcel?', text)


async def test_the_next_message_of_the_chat_joins_the_open_ticket(desk: Desk) -> None:
    first = await desk.telegram.intake(chat_id=CHAT, from_name='Grace', text='one', message_ref=1)
    second = await desk.telegram.intake(chat_id=CHAT, from_name='Grace', text='two', message_ref=2)
    assert first is not None and second is not None
    assert first.conversation_id == second.conversation_id
    other = await desk.telegram.intake(chat_id=CHAT + 1, from_name='Alan', text='hi', message_ref=1)
    assert other is not None and other.conversation_id != first.conversation_id  # another chat, another customer


async def test_a_message_delivered_again_is_posted_once_even_at_the_same_moment(desk: Desk) -> None:
    await desk.telegram.intake(chat_id=CHAT, from_name='Grace', text='once', message_ref=5)
    assert await desk.telegram.intake(chat_id=CHAT, from_name='Grace', text='once', message_ref=5) is None
    results = await asyncio.gather(*(desk.telegram.intake(chat_id=CHAT, from_name='Grace', text='twice',
                                                          message_ref=6) for _ in range(3)))
    assert sum(result is not None for result in results) == 1
    async with desk.database.connect() as connection:
        bodies = list(await connection.scalars(select(Message.body).order_by(Message.id)))
        customers = await connection.scalar(select(func.count()).select_from(User))
    assert bodies == ['once', 'twice']
    assert customers == 1


async def test_after_the_ticket_is_closed_the_next_message_opens_a_new_one(desk: Desk) -> None:
    agent = await make_user(desk, role='agent')
    await desk.telegram.intake(chat_id=CHAT, from_name='Grace', text='first problem', message_ref=1)
    customer_id = await customer_of(desk, CHAT)
    first_ticket = await ticket_of(desk, customer_id)
    assert first_ticket is not None
    closed = next(s.id for s in await desk.requests.statuses() if s.name == 'Closed')
    await desk.requests.change_status(actor_id=agent.id, request_id=first_ticket, status_id=closed)
    await desk.telegram.intake(chat_id=CHAT, from_name='Grace', text='second problem', message_ref=2)
    second_ticket = await ticket_of(desk, customer_id)
    assert second_ticket not in (None, first_ticket)
    view = await desk.tickets.ticket(viewer_id=agent.id, request_id=second_ticket)
    assert [m.body for m in view.messages] == ['second problem']
    assert [t.id for t in view.other_tickets] == [first_ticket]


async def test_files_arrive_as_attachments_and_refused_ones_are_named_in_the_text(desk: Desk) -> None:
    photo = Upload('photo-9.jpg', b'\xff\xd8 a large photo', 'image/jpeg')
    program = Upload('setup.exe', b'MZ...', 'application/x-msdownload')
    posted = await desk.telegram.intake(chat_id=CHAT, from_name='Grace', text='see attached', message_ref=9,
                                        attachments=[photo, program],
                                        not_attached=['"huge.zip" is larger than 10.0 MB.'])
    assert posted is not None
    assert [(a.filename, a.content_type, a.size) for a in posted.attachments] == \
        [('photo-9.jpg', 'image/jpeg', len(photo.data))]
    assert posted.body.startswith('see attached\n\n[Not attached: ')
    assert 'setup.exe' in posted.body and 'huge.zip' in posted.body
    customer_id = await customer_of(desk, CHAT)
    _attachment, path = await desk.files.open(viewer_id=customer_id, attachment_id=posted.attachments[0].id)
    assert path.read_bytes() == photo.data


async def test_a_file_without_text_is_posted_on_its_own(desk: Desk) -> None:
    posted = await desk.telegram.intake(chat_id=CHAT, from_name='Grace', text='', message_ref=3,
                                        attachments=[Upload('invoice.pdf', b'%PDF-1.4', 'application/pdf')])
    assert posted is not None and posted.body == '' and posted.attachments[0].filename == 'invoice.pdf'


async def test_a_deactivated_customer_is_not_posted_for(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    await desk.telegram.intake(chat_id=CHAT, from_name='Grace', text='hello', message_ref=1)
    await desk.users.set_active(actor_id=admin.id, user_id=await customer_of(desk, CHAT), active=False)
    with pytest.raises(NotSignedIn):  # the channel logs refusals by the desk and moves on
        await desk.telegram.intake(chat_id=CHAT, from_name='Grace', text='again', message_ref=2)
