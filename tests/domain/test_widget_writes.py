"""A widget visitor's message on both databases: one transaction that checks who writes, and notes where they are
only when that changed; a visitor deactivated a moment ago is refused at their next message."""

from __future__ import annotations

import pytest

from domain.desk import Desk
from domain.widgets.visitors import Context, InvalidVisitor
from storage.widgets import WidgetRow
from tests.domain.statements import message_added, sent
from tests.domain.test_widgets import make_widget
from tests.factories import PASSWORD, make_user


async def ticket_of(desk: Desk, widget: WidgetRow, acting_id: int) -> int:
    ticket_id = (await desk.widget_chat.chat(widget, visitor_id=acting_id)).open_ticket_id
    assert ticket_id is not None
    return ticket_id


CART = Context(page_url='https://shop.example.com/cart', referrer='https://search.example/', language='de-DE',
               address='203.0.113.5')


async def test_a_visitors_message_on_the_same_page_is_one_read_of_them_and_the_support_write(desk: Desk) -> None:
    widget = await make_widget(desk)
    first = await desk.widget_chat.write(widget, token=None, text='Where is my parcel?', context=CART)
    with sent(desk) as writing:
        again = await desk.widget_chat.write(widget, token=first.token, text='Order 42', context=CART)
    assert again.visitor_id == first.visitor_id and again.message.conversation_id == first.message.conversation_id
    # Who the token names (visitor, user and account in one read), then what any customer's message sends; where
    # they are is unchanged, so it is not written again.
    assert [statement.split()[:2] for statement in writing] == [
        ['SELECT', 'widget_visitors.user_id,'], ['SELECT', 'requests.id,'], ['UPDATE', 'requests'],
        *message_added(desk), ['INSERT', 'INTO']]


async def test_the_visitors_facts_follow_them_to_another_page(desk: Desk) -> None:
    widget = await make_widget(desk)
    agent = await make_user(desk, role='agent')
    first = await desk.widget_chat.write(widget, token=None, text='Where is my parcel?', context=CART)
    ticket_id = await ticket_of(desk, widget, first.visitor_id)
    facts = await desk.widget_chat.facts(viewer_id=agent.id, request_id=ticket_id)
    assert facts is not None and (facts.page_url, facts.language) == (CART.page_url, 'de-DE')  # from the first
    checkout = Context(page_url='https://shop.example.com/checkout', referrer=CART.page_url, language='de-DE',
                       address=CART.address)
    with sent(desk) as writing:
        await desk.widget_chat.write(widget, token=first.token, text='Now on the checkout', context=checkout)
    assert [statement for statement in writing if statement.startswith('UPDATE widget_visitors')]
    facts = await desk.widget_chat.facts(viewer_id=agent.id, request_id=ticket_id)
    assert facts is not None and (facts.page_url, facts.referrer) == (checkout.page_url, CART.page_url)


async def test_of_an_accounts_two_visitors_the_one_that_wrote_last_tells_where_the_account_is(desk: Desk) -> None:
    widget, customer = await make_widget(desk), await make_user(desk)
    agent = await make_user(desk, role='agent')
    phone = Context(page_url='https://shop.example.com/m/cart', address='198.51.100.7')
    tokens = []
    for context in (CART, phone):  # a laptop and a phone, both signed in to the account inside the widget
        guest = await desk.widget_chat.write(widget, token=None, text=f'From {context.address}', context=context)
        await desk.widget_joining.sign_in(widget, token=guest.token, username=customer.username, password=PASSWORD,
                                          address=context.address)
        tokens.append(guest.token)
    laptop_token, phone_token = tokens
    await desk.widget_chat.write(widget, token=laptop_token, text='On the laptop', context=CART)
    await desk.widget_chat.write(widget, token=phone_token, text='On the phone', context=phone)
    last = await desk.widget_chat.write(widget, token=laptop_token, text='The laptop again', context=CART)
    facts = await desk.widget_chat.facts(viewer_id=agent.id, request_id=await ticket_of(desk, widget, last.visitor_id))
    assert facts is not None and facts.page_url == CART.page_url  # though the laptop's facts had not changed


async def test_a_deactivated_visitor_is_refused_at_their_next_message(desk: Desk) -> None:
    widget, admin = await make_widget(desk), await make_user(desk, role='admin')
    first = await desk.widget_chat.write(widget, token=None, text='Buy cheap watches', context=CART)
    await desk.widget_chat.write(widget, token=first.token, text='Cheap watches!', context=CART)
    await desk.users.set_active(actor_id=admin.id, user_id=first.visitor_id, active=False)  # blocked by staff
    with pytest.raises(InvalidVisitor):
        await desk.widget_chat.write(widget, token=first.token, text='Still here', context=CART)
    with pytest.raises(InvalidVisitor):
        await desk.widget_chat.session(widget, first.token)


async def test_a_token_signed_in_to_a_deactivated_account_writes_as_its_visitor_again(desk: Desk) -> None:
    widget, admin, customer = await make_widget(desk), await make_user(desk, role='admin'), await make_user(desk)
    guest = await desk.widget_chat.write(widget, token=None, text='Hello', context=CART)
    await desk.widget_joining.sign_in(widget, token=guest.token, username=customer.username, password=PASSWORD,
                                      address=CART.address)
    assert (await desk.widget_chat.write(widget, token=guest.token, text='As the account')).visitor_id == customer.id
    await desk.users.set_active(actor_id=admin.id, user_id=customer.id, active=False)
    after = await desk.widget_chat.write(widget, token=guest.token, text='As the guest')
    assert after.visitor_id == guest.visitor_id and after.message.author_id == guest.visitor_id


@pytest.mark.parametrize(('shown_in', 'called'), [('ru', 'Посетитель '), ('en', 'Visitor '), ('de', 'Visitor ')])
async def test_a_visitor_who_gave_no_name_is_named_in_the_widgets_language(desk: Desk, shown_in: str,
                                                                           called: str) -> None:
    widget = await make_widget(desk)
    first = await desk.widget_chat.write(widget, token=None, text='Здравствуйте', context=Context(shown_in=shown_in))
    session = await desk.widget_chat.session(widget, first.token)
    assert session is not None and session.name.startswith(called) and len(session.name) == len(called) + 4
    assert first.message.author == session.name  # as the desk shows their messages
