"""Offline widget visitors: an agent's reply reaches the email they left, through a real SMTP server (aiosmtpd);
not when they are watching the widget, not for notes, never twice; the reply also waits in the widget."""

from __future__ import annotations

from domain.desk import Desk
from domain.widgets.visitors import Context
from tests.domain.test_widgets import make_widget
from tests.factories import make_user
from tests.fakes.smtp import SmtpServer


async def test_a_reply_to_a_visitor_who_left_reaches_their_email_once(notifying: Desk, smtp: SmtpServer) -> None:
    desk = notifying
    widget = await make_widget(desk, email_field='optional')
    agent = await make_user(desk, role='agent')
    assert not desk.presence.staff_online()  # nobody is there: the widget asks for an address
    cart = Context(page_url='https://shop.example/cart', language='en-GB')
    sent = await desk.widget_chat.write(widget, token=None, text='Do you ship to Lisbon?', email='ann@shop.example',
                                        context=cart)
    [thread] = (await desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)).threads
    await desk.tickets.reply(actor_id=agent.id, request_id=thread.ticket.id, text='Only for VIPs', note=True)
    await desk.tickets.reply(actor_id=agent.id, request_id=thread.ticket.id, text='Yes, in three days.\nCheers')
    await desk.widget_chat.write(widget, token=sent.token, text='Thanks!', context=cart)  # their own: no email
    await desk.worker.drain()
    await desk.worker.drain()

    [mail] = smtp.mailbox.to('ann@shop.example')
    assert mail['Subject'] == 'Answer to your question: Do you ship to Lisbon?'
    body = mail.get_content().replace('\r\n', '\n')
    assert f'{agent.display_name} answered you in the chat:' in body
    assert '> Yes, in three days.\n> Cheers' in body and 'https://shop.example/cart' in body
    assert 'Only for VIPs' not in body and len(smtp.mailbox.messages) == 1
    chat = await desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)  # and it waits in the widget
    assert [m.body for m in chat.threads[0].messages][-2:] == ['Yes, in three days.\nCheers', 'Thanks!']


async def test_no_email_while_the_visitor_watches_the_widget_nor_without_an_address(notifying: Desk,
                                                                                   smtp: SmtpServer) -> None:
    desk = notifying
    widget = await make_widget(desk, email_field='optional')
    agent = await make_user(desk, role='agent')
    watching = await desk.widget_chat.write(widget, token=None, text='I am here', email='here@shop.example')
    silent = await desk.widget_chat.write(widget, token=None, text='No address')
    late = await desk.widget_chat.write(widget, token=None, text='Address later')
    await desk.widget_chat.write(widget, token=late.token, text='Here it is', email='late@shop.example')
    leave = desk.presence.arrive(watching.visitor_id, staff=False)
    for sent in (watching, silent, late):
        [thread] = (await desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)).threads
        await desk.tickets.reply(actor_id=agent.id, request_id=thread.ticket.id, text=f'Answer {sent.visitor_id}')
    await desk.worker.drain()
    leave()

    assert smtp.mailbox.to('here@shop.example') == []  # saw it live
    [mail] = smtp.mailbox.to('late@shop.example')  # left the address with a later message
    assert f'Answer {late.visitor_id}' in mail.get_content()
    assert len(smtp.mailbox.messages) == 1


async def test_a_russian_visitor_gets_the_email_in_russian(notifying: Desk, smtp: SmtpServer) -> None:
    desk = notifying
    widget = await make_widget(desk, email_field='required')
    agent = await make_user(desk, role='agent')
    sent = await desk.widget_chat.write(widget, token=None, text='Где мой заказ?', email='ivan@shop.example',
                                        context=Context(language='ru-RU'))
    [thread] = (await desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)).threads
    await desk.tickets.reply(actor_id=agent.id, request_id=thread.ticket.id, text='Уже в пути.')
    await desk.worker.drain()
    [mail] = smtp.mailbox.to('ivan@shop.example')
    assert mail['Subject'] == 'Ответ на ваш вопрос: Где мой заказ?'
    assert 'ответил(а) вам в чате' in mail.get_content()
