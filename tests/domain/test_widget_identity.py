"""Widget visitors who become someone, on both databases: signing in inside the widget, or the host site's verified
user; their anonymous history joins that person's, one customer, one open ticket, every message kept."""

from __future__ import annotations

import pytest

from domain.desk import Desk
from domain.errors import InvalidInput, PermissionDenied
from domain.widgets.identity import HostIdentity, UnverifiedIdentity, signature
from domain.widgets.presence import Presence
from storage.widgets import WidgetRow
from tests.domain.test_widgets import make_widget
from tests.factories import PASSWORD, make_user, unique


async def secret_of(desk: Desk, widget: WidgetRow) -> str:
    admin = await make_user(desk, role='admin')
    return (await desk.widgets.secrets(actor_id=admin.id, widget_ids=[widget.id]))[widget.id]


def bodies(chat) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[message.body for message in thread.messages] for thread in chat.threads]


async def test_signing_in_inside_the_widget_joins_the_visitors_history_to_the_account(desk: Desk) -> None:
    widget = await make_widget(desk)
    customer = await make_user(desk)
    sent = await desk.widget_chat.write(widget, token=None, text='Is my order late?')
    await desk.widget_chat.write(widget, token=sent.token, text='Order 42')
    joined = await desk.widget_joining.sign_in(widget, token=sent.token, username=customer.username,
                                               password=PASSWORD, address='203.0.113.5')
    assert joined.acting_id == customer.id and joined.token == sent.token
    assert await desk.widget_chat.visitor(widget, sent.token) == customer.id  # the token now acts as the account
    chat = await desk.widget_chat.chat(widget, visitor_id=customer.id)
    assert bodies(chat) == [['Is my order late?', 'Order 42']] and chat.open_ticket_id is not None
    again = await desk.widget_chat.write(widget, token=sent.token, text='Any news?')
    assert again.visitor_id == customer.id and again.message.author_id == customer.id
    assert bodies(await desk.widget_chat.chat(widget, visitor_id=customer.id)) == \
        [['Is my order late?', 'Order 42', 'Any news?']]
    agent = await make_user(desk, role='agent')
    view = await desk.tickets.ticket(viewer_id=agent.id, request_id=chat.open_ticket_id)
    assert view.ticket.author == customer.display_name  # one customer in the desk
    await desk.widget_joining.sign_out(widget, token=sent.token)
    assert await desk.widget_chat.visitor(widget, sent.token) == sent.visitor_id  # a guest again, with nothing
    assert bodies(await desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)) == []
    assert bodies(await desk.support.chat(viewer_id=customer.id, queue_id=widget.queue_id)) == \
        [['Is my order late?', 'Order 42', 'Any news?']]  # the account keeps it


async def test_when_both_have_an_open_ticket_the_visitors_messages_join_the_accounts_one(desk: Desk) -> None:
    widget = await make_widget(desk)
    customer = await make_user(desk)
    await desk.support.write(actor_id=customer.id, text='My own question', queue_id=widget.queue_id)
    sent = await desk.widget_chat.write(widget, token=None, text='Asked as a guest')
    await desk.widget_chat.write(widget, token=sent.token, text='And once more')
    [guest_thread] = (await desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)).threads
    await desk.widget_joining.sign_in(widget, token=sent.token, username=customer.username, password=PASSWORD,
                                      address='203.0.113.5')
    chat = await desk.widget_chat.chat(widget, visitor_id=customer.id)
    assert bodies(chat) == [['My own question', 'Asked as a guest', 'And once more']]  # in order, none lost
    assert chat.open_ticket_id is not None and chat.open_ticket_id != guest_thread.ticket.id
    agent = await make_user(desk, role='agent')
    emptied = await desk.tickets.ticket(viewer_id=agent.id, request_id=guest_thread.ticket.id)
    assert emptied.ticket.closed_at is not None  # no second open ticket
    async with desk.widgets.uow() as uow:
        merged = [event for event in await uow.events.for_request(guest_thread.ticket.id, limit=50)
                  if event.kind == 'ticket.merged']
    assert [event.data['into'] for event in merged] == [chat.open_ticket_id]


async def test_registering_inside_the_widget_joins_too_and_staff_or_wrong_passwords_join_nothing(desk: Desk) -> None:
    widget = await make_widget(desk)
    agent = await make_user(desk, role='agent')
    sent = await desk.widget_chat.write(widget, token=None, text='Hello')
    with pytest.raises(InvalidInput):
        await desk.widget_joining.sign_in(widget, token=sent.token, username=agent.username, password='wrong',
                                          address='203.0.113.6')
    with pytest.raises(PermissionDenied):  # staff answer in the inbox; a token must never act as them
        await desk.widget_joining.sign_in(widget, token=sent.token, username=agent.username, password=PASSWORD,
                                          address='203.0.113.6')
    assert await desk.widget_chat.visitor(widget, sent.token) == sent.visitor_id
    username = unique()
    joined = await desk.widget_joining.register(widget, token=sent.token, username=username, password=PASSWORD,
                                                repeat=PASSWORD, address='203.0.113.6')
    assert bodies(await desk.widget_chat.chat(widget, visitor_id=joined.acting_id)) == [['Hello']]
    user, _session = await desk.accounts.sign_in(username=username, password=PASSWORD)
    assert user.id == joined.acting_id and user.role == 'customer'


async def test_a_verified_host_user_is_one_visitor_in_every_browser(desk: Desk) -> None:
    widget = await make_widget(desk)
    secret = await secret_of(desk, widget)
    ann = HostIdentity('shop-user-7', 'Ann Lee', 'ann@shop.example', signature(secret, 'shop-user-7'))
    laptop = await desk.widget_chat.write(widget, token=None, text='From my laptop')
    on_laptop = await desk.widget_joining.identify(widget, token=laptop.token, identity=ann, address='a')
    phone = await desk.widget_chat.write(widget, token=None, text='From my phone')
    on_phone = await desk.widget_joining.identify(widget, token=phone.token, identity=ann, address='b')
    assert on_phone.acting_id == on_laptop.acting_id == laptop.visitor_id  # the laptop's visitor became Ann
    chat = await desk.widget_chat.chat(widget, visitor_id=on_phone.acting_id)
    assert bodies(chat) == [['From my laptop', 'From my phone']]
    assert bodies(await desk.widget_chat.chat(widget, visitor_id=phone.visitor_id)) == []
    fresh = await desk.widget_joining.identify(widget, token=None, identity=ann, address='c')  # a third browser
    assert fresh.acting_id == on_laptop.acting_id
    visitor = await desk.widget_chat.session(widget, fresh.token)
    assert visitor is not None and visitor.external_id == 'shop-user-7' and visitor.email == 'ann@shop.example'
    assert visitor.name == 'Ann Lee'


@pytest.mark.parametrize('forged', ['', '0' * 64, 'not hex at all', 'signature of another id', 'another secret',
                                    'ünïcödé'])
async def test_a_forged_or_missing_signature_is_refused_and_nothing_is_merged(desk: Desk, forged: str) -> None:
    widget = await make_widget(desk)
    secret = await secret_of(desk, widget)
    owner = await desk.widget_chat.write(widget, token=None, text='The real user')
    await desk.widget_joining.identify(widget, token=owner.token, address='a',
                                       identity=HostIdentity('user-1', signature=signature(secret, 'user-1')))
    hash_ = {'signature of another id': signature(secret, 'user-2'),
             'another secret': signature('guessed secret', 'user-1')}.get(forged, forged)
    intruder = await desk.widget_chat.write(widget, token=None, text='An intruder')
    with pytest.raises(UnverifiedIdentity):
        await desk.widget_joining.identify(widget, token=intruder.token, address='b',
                                           identity=HostIdentity('user-1', 'Ann', 'x@y.example', hash_))
    assert await desk.widget_chat.visitor(widget, intruder.token) == intruder.visitor_id
    assert bodies(await desk.widget_chat.chat(widget, visitor_id=intruder.visitor_id)) == [['An intruder']]
    assert bodies(await desk.widget_chat.chat(widget, visitor_id=owner.visitor_id)) == [['The real user']]


def test_presence_counts_staff_tabs_and_tells_when_the_first_comes_and_the_last_goes() -> None:
    presence = Presence()
    heard: list[bool] = []
    presence.on_change(heard.append)
    assert not presence.staff_online()
    first, second = presence.arrive(7, staff=True), presence.arrive(7, staff=True)
    visitor = presence.arrive(99, staff=False)
    assert presence.staff_online() and presence.visitor_here(99) and not presence.visitor_here(7)
    first()
    first()  # again: harmless
    assert presence.staff_online()
    second()
    visitor()
    assert not presence.staff_online() and not presence.visitor_here(99)
    assert heard == [True, False]
