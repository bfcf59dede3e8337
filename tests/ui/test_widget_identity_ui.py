"""The widget's identity and offline parts in the simulated browser: nobody online (and then an agent, live),
signing in or registering inside the widget (the desk sees the new customer), and the host site's user named after
'#', verified or refused."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import httpx
from nicegui import Client, core, ui

from domain.desk import Desk
from domain.files import Upload
from domain.widgets.identity import HostIdentity, signature
from tests.api.test_tickets_api import private_queue
from tests.domain.test_widget_identity import secret_of
from tests.factories import PASSWORD, make_user, unique
from tests.ui.steps import open_row, send, signed_in
from tests.ui.test_widget_chat import as_visitor, make_widget
from ui.components.desk_row import DeskRowView
from ui.components.message_block import MessageBlock
from ui.components.ticket_panel import TicketPanel
from ui.components.widget_chat import WidgetChatPane

AWAY = 'Nobody is online right now.'


async def test_the_widget_says_nobody_is_online_until_an_agent_opens_the_desk(create_user,
                                                                              running_desk: Desk) -> None:
    widget = await make_widget(running_desk, email_field='optional', offline_message='')
    visitor_tab, agent_tab = create_user(), create_user()
    as_visitor(visitor_tab)
    await visitor_tab.open(f'/widget/{widget.public_key}')
    await visitor_tab.should_see(AWAY, marker='offline')
    await visitor_tab.should_see(kind=ui.input, content='Your email')  # a new visitor: the pre-chat field asks
    before_the_agent = set(Client.instances.values())
    await signed_in(agent_tab, running_desk, role='agent')
    await agent_tab.open('/inbox')  # landed: the sign-in's own navigation is done before the visitor's tab is used
    await visitor_tab.should_not_see(marker='offline')  # live, without reloading
    assert running_desk.presence.staff_online()
    # every page the agent had (the sign-in page counts once signed in, and so may the page it went on to, which
    # `signed_in` can return before reaching) is gone for good, past the reconnect timeout
    for page in set(Client.instances.values()) - before_the_agent:
        if not page.is_deleted:
            page.delete()
    await visitor_tab.should_see(AWAY, marker='offline')


async def test_a_returning_visitor_without_an_address_is_asked_for_one_while_nobody_is_online(
        user, running_desk: Desk) -> None:  # type: ignore[no-untyped-def]
    widget = await make_widget(running_desk, email_field='optional', offline_message='Back at nine.')
    sent = await running_desk.widget_chat.write(widget, token=None, text='Anyone there?')
    as_visitor(user, sent.token)
    await user.open(f'/widget/{widget.public_key}')
    await user.should_see('Back at nine.')  # the widget's own offline message
    await user.should_see(kind=MessageBlock, content='Anyone there?')
    user.find(kind=ui.input, content='Your email, for our answer').type('ann@shop.example')
    send(user, 'Please write to me')
    await user.should_see(kind=MessageBlock, content='Please write to me')
    visitor = await running_desk.widget_chat.session(widget, sent.token)
    assert visitor is not None and visitor.email == 'ann@shop.example'


async def test_signing_in_inside_the_widget_shows_the_accounts_history_and_replies_stay_live(
        create_user, running_desk: Desk) -> None:
    widget = await make_widget(running_desk)
    customer = await make_user(running_desk)
    await running_desk.support.write(actor_id=customer.id, text='Asked from my account', queue_id=widget.queue_id)
    visitor_tab = create_user()
    as_visitor(visitor_tab)
    await visitor_tab.open(f'/widget/{widget.public_key}')
    send(visitor_tab, 'Asked as a guest')
    await visitor_tab.should_see(kind=MessageBlock, content='Asked as a guest')
    visitor_tab.find(marker='widget-sign-in').click()
    visitor_tab.find(kind=ui.input, content='Username').type(customer.username)
    visitor_tab.find(kind=ui.input, content='Password').type('wrong')
    visitor_tab.find(marker='widget-account-submit').click()
    await visitor_tab.should_see('Wrong username or password.')
    visitor_tab.find(kind=ui.input, content='Password').clear()
    visitor_tab.find(kind=ui.input, content='Password').type(PASSWORD)
    visitor_tab.find(marker='widget-account-submit').click()
    await visitor_tab.should_see(f'Signed in as {customer.display_name}')
    await visitor_tab.should_see(kind=MessageBlock, content='Asked from my account')  # the account's history
    await visitor_tab.should_see(kind=MessageBlock, content='Asked as a guest')  # and the guest's, in it
    chat = await running_desk.support.chat(viewer_id=customer.id, queue_id=widget.queue_id)
    assert [[m.body for m in thread.messages] for thread in chat.threads] == \
        [['Asked from my account', 'Asked as a guest']]
    assert chat.open_ticket_id is not None
    agent = await make_user(running_desk, role='agent')
    await running_desk.tickets.reply(actor_id=agent.id, request_id=chat.open_ticket_id, text='Found both of them')
    await visitor_tab.should_see(kind=MessageBlock, content='Found both of them')  # live, as the account
    visitor_tab.find(kind=ui.button, content='Sign out').click()
    await visitor_tab.should_not_see(kind=MessageBlock, content='Found both of them')
    await visitor_tab.should_see(marker='widget-sign-in')


async def test_the_host_sites_verified_user_finds_their_chat_and_a_forged_one_is_told_and_kept_apart(
        create_user, running_desk: Desk) -> None:
    widget = await make_widget(running_desk)
    secret = await secret_of(running_desk, widget)
    ann = HostIdentity('shop-7', 'Ann Lee', 'ann@shop.example', signature(secret, 'shop-7'))
    elsewhere = await running_desk.widget_joining.identify(widget, token=None, identity=ann, address='a')
    await running_desk.widget_chat.write(widget, token=elsewhere.token, text='Written on my laptop')

    phone, forger = create_user(), create_user()
    as_visitor(phone, fragment='#' + urlencode({'user_id': 'shop-7', 'user_name': 'Ann Lee',
                                                'user_hash': signature(secret, 'shop-7')}))
    await phone.open(f'/widget/{widget.public_key}')
    await phone.should_see(kind=MessageBlock, content='Written on my laptop')  # another browser, the same chat
    as_visitor(forger, elsewhere.token,  # even holding Ann's token, a forged word from the page shows nothing of hers
               fragment='#' + urlencode({'user_id': 'shop-7', 'user_hash': signature('guess', 'shop-7')}))
    await forger.open(f'/widget/{widget.public_key}')
    await forger.should_see('This site could not confirm who you are, so you chat as a guest.')
    await forger.should_not_see(kind=MessageBlock, content='Written on my laptop')


async def test_a_signed_in_visitors_token_opens_files_of_the_widgets_queue_only(running_desk: Desk) -> None:
    admin = await make_user(running_desk, role='admin')
    widget = await make_widget(running_desk, queue_id=await private_queue(running_desk, admin))
    customer = await make_user(running_desk)
    elsewhere = await running_desk.support.write(actor_id=customer.id, text='My contract',
                                                 files=[Upload('contract.txt', b'not for the shop')])
    sent = await running_desk.widget_chat.write(widget, token=None, text='A photo',
                                                files=[Upload('photo.txt', b'from the shop')])
    await running_desk.widget_joining.sign_in(widget, token=sent.token, username=customer.username,
                                              password=PASSWORD, address='203.0.113.7')
    async with httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://desk.test') as browser:
        base = f'/widget/{widget.public_key}/files'
        mine = await browser.get(f'{base}/{sent.message.attachments[0].id}', params={'vt': sent.token})
        assert mine.status_code == 200 and mine.content == b'from the shop'  # now the account's, in this queue
        other = await browser.get(f'{base}/{elsewhere.attachments[0].id}', params={'vt': sent.token})
        assert other.status_code == 404  # the account's file in Support: not through a token left on a site


async def test_a_known_users_chat_needs_the_sites_word_on_the_page_itself(user, running_desk: Desk) -> None:  # type: ignore[no-untyped-def]
    widget = await make_widget(running_desk)
    secret = await secret_of(running_desk, widget)
    ann = HostIdentity('shop-8', 'Ann', '', signature(secret, 'shop-8'))
    joined = await running_desk.widget_joining.identify(widget, token=None, identity=ann, address='a')
    await running_desk.widget_chat.write(widget, token=joined.token, text='Only for Ann')
    as_visitor(user, joined.token)  # Ann's token is in this browser, but the site names nobody now (signed out)
    await user.open(f'/widget/{widget.public_key}?vt={joined.token}')
    await user.should_see('Hi! Ask us anything.')
    [pane] = user.find(kind=WidgetChatPane).elements
    await asyncio.wait_for(pane.settled(), 5)  # the frame's storage and address were read
    await user.should_not_see(kind=MessageBlock, content='Only for Ann')


async def test_the_emptied_ticket_tells_agents_where_its_messages_went(user, running_desk: Desk) -> None:  # type: ignore[no-untyped-def]
    widget = await make_widget(running_desk)
    customer = await make_user(running_desk)
    await running_desk.support.write(actor_id=customer.id, text='From my account', queue_id=widget.queue_id)
    sent = await running_desk.widget_chat.write(widget, token=None, text='From the shop')
    [guest] = (await running_desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)).threads
    await running_desk.widget_joining.sign_in(widget, token=sent.token, username=customer.username,
                                              password=PASSWORD, address='203.0.113.8')
    into = (await running_desk.support.chat(viewer_id=customer.id, queue_id=widget.queue_id)).open_ticket_id
    await signed_in(user, running_desk, role='agent')
    await user.open(f'/inbox/{guest.ticket.id}')
    await user.should_see(f'{customer.display_name} signed in: the messages moved to ticket #{into}')


async def test_registering_inside_the_widget_keeps_the_guests_words_and_the_desk_sees_the_new_customer_live(
        create_user, running_desk: Desk) -> None:
    widget = await make_widget(running_desk)
    visitor_tab, agent_tab = create_user(), create_user()
    as_visitor(visitor_tab)
    await visitor_tab.open(f'/widget/{widget.public_key}')
    send(visitor_tab, 'Asked before I had an account')
    await visitor_tab.should_see(kind=MessageBlock, content='Asked before I had an account')
    await signed_in(agent_tab, running_desk, role='agent')
    await agent_tab.open('/inbox')
    await open_row(agent_tab, 'Asked before I had an account')
    username = unique()
    visitor_tab.find(marker='widget-sign-in').click()
    visitor_tab.find(kind=ui.button, content='Create account').click()  # from signing in to registering
    visitor_tab.find(kind=ui.input, content='Username').type(username)
    visitor_tab.find(kind=ui.input, content='Password').type(PASSWORD)
    visitor_tab.find(kind=ui.input, content='Repeat password').type(PASSWORD)
    visitor_tab.find(marker='widget-account-submit').click()
    await visitor_tab.should_see(f'Signed in as {username}')
    await visitor_tab.should_see(kind=MessageBlock, content='Asked before I had an account')  # kept, now the account's
    with agent_tab.scope(kind=TicketPanel):  # the agent's open ticket names the new account, live
        await agent_tab.should_see(kind=ui.label, content=username)
    await agent_tab.should_see(kind=DeskRowView, content=username)  # and so does its row in the list
    account, _session = await running_desk.accounts.sign_in(username=username, password=PASSWORD)
    chat = await running_desk.support.chat(viewer_id=account.id, queue_id=widget.queue_id)
    assert [[m.body for m in thread.messages] for thread in chat.threads] == [['Asked before I had an account']]
