"""The Orders pages: placing an order with line items and a running total, bad input kept, status changes live."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from domain.orders.service import OrderQuery
from domain.requests.fields import AMOUNT, PRICE, format_money
from tests.factories import make_user, unique
from tests.ui.steps import choose_status, send, signed_in
from ui.components.message_block import MessageBlock
from ui.components.order_items import ItemRow
from ui.translations import RU

TWO_ITEMS = [{'name': 'Stapler', 'quantity': 2, 'unit_price': 1250}, {'name': 'Paper A4', 'quantity': 3,
                                                                      'unit_price': 499}]


def item_rows(user: User) -> list[ItemRow]:
    return sorted(user.find(kind=ItemRow).elements, key=lambda row: row.id)


def type_item(row: ItemRow, name: str, quantity: str, price: str) -> None:
    row.name.value, row.quantity.value, row.price.value = name, quantity, price


async def open_new_order(user: User) -> None:
    await user.open('/orders')
    await user.should_see(marker='new-order')
    user.find(marker='new-order').click()
    await user.should_see(marker='order-dialog')


async def test_a_customer_places_an_order_with_two_items_and_sees_the_total(user: User, running_desk: Desk) -> None:
    customer = await signed_in(user, running_desk)
    await open_new_order(user)
    title = unique('Office supplies ')
    user.find(kind=ui.input, content='Title').type(title)
    type_item(item_rows(user)[0], 'Stapler', '2', '12,50')
    await user.should_see(content=f'Total: {format_money(2500, "EUR")}')
    user.find(marker='add-item').click()
    type_item(item_rows(user)[1], 'Paper A4', '3', '4.99')
    expected = format_money(2 * 1250 + 3 * 499, 'EUR')
    await user.should_see(content=f'Total: {expected}')
    user.find(kind=ui.textarea, content='Delivery address').type('Main street 1')
    user.find(kind=ui.button, content='Place order').click()
    await user.should_see(kind=ui.link, content=title)
    await user.should_see(kind=ui.label, content=expected)  # the list row's total
    order = (await running_desk.orders.list(viewer_id=customer.id, query=OrderQuery())).rows[0]
    assert (order.title, order.total, order.item_count) == (title, 3997, 2)


async def test_removing_an_item_takes_it_out_of_the_total(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk)
    await open_new_order(user)
    type_item(item_rows(user)[0], 'Stapler', '1', '10')
    user.find(marker='add-item').click()
    type_item(item_rows(user)[1], 'Lamp', '1', '5')
    await user.should_see(content=f'Total: {format_money(1500, "EUR")}')
    user.find(marker='remove-item').click()  # the first row's
    await user.should_see(content=f'Total: {format_money(500, "EUR")}')
    assert [row.name.value for row in item_rows(user)] == ['Lamp']


async def test_a_bad_price_shows_a_message_on_the_price_and_keeps_what_was_typed(user: User,
                                                                                 running_desk: Desk) -> None:
    customer = await signed_in(user, running_desk)
    await open_new_order(user)
    user.find(kind=ui.input, content='Title').type('Chairs')
    type_item(item_rows(user)[0], 'Chair', '4', '12,5x')
    await user.should_see(content='Total: —')
    user.find(kind=ui.button, content='Place order').click()
    await user.should_see('Item 1: enter a unit price like 12.50.')
    row = item_rows(user)[0]
    assert (row.name.value, row.quantity.value, row.price.value) == ('Chair', '4', '12,5x')
    assert row.price.error == 'Item 1: enter a unit price like 12.50.' and row.name.error is None
    assert user.find(kind=ui.input, content='Title').elements.pop().value == 'Chairs'
    assert (await running_desk.orders.list(viewer_id=customer.id, query=OrderQuery())).total == 0


async def test_an_order_without_items_is_refused_below_the_items(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk)
    await open_new_order(user)
    user.find(kind=ui.input, content='Title').type('Nothing')
    user.find(kind=ui.button, content='Place order').click()
    await user.should_see('Add at least one item.')


async def test_staff_change_the_status_and_the_customers_open_pages_update_live(create_user,
                                                                                 running_desk: Desk) -> None:
    customer_page, customer_list, staff = create_user(), create_user(), create_user()
    customer = await signed_in(customer_page, running_desk)
    order_id = await running_desk.orders.create(actor_id=customer.id, title='Desk lamp', values={'items': TWO_ITEMS})
    await customer_page.open(f'/orders/{order_id}')
    await customer_page.should_see(kind=ui.label, content=format_money(3997, 'EUR'))
    await customer_page.should_see('Stapler')
    await customer_page.should_not_see(marker='change-status')  # the shop moves orders, not the customer
    customer_list.http_client.cookies = customer_page.http_client.cookies  # the same browser, a second tab
    await customer_list.open('/orders')
    await customer_list.should_see(kind=ui.link, content=f'#{order_id} Desk lamp')
    await signed_in(staff, running_desk, role='agent')
    await staff.open(f'/orders/{order_id}')
    await choose_status(staff, 'PAID')
    await customer_page.should_see(marker='status', content='PAID')
    with customer_list.scope(marker=f'order-row-{order_id}'):
        await customer_list.should_see(content='PAID')


async def test_the_conversation_with_the_shop_reaches_the_other_side_live(create_user, running_desk: Desk) -> None:
    customer_user, staff_user = create_user(), create_user()
    customer = await signed_in(customer_user, running_desk)
    order_id = await running_desk.orders.create(actor_id=customer.id, title='Boxes', values={'items': TWO_ITEMS})
    await signed_in(staff_user, running_desk, role='agent')
    await staff_user.open(f'/orders/{order_id}')
    await staff_user.should_see(f'Conversation with {customer.display_name}')
    await customer_user.open(f'/orders/{order_id}')
    await customer_user.should_see('Conversation with the shop')
    send(customer_user, 'Leave it at the door')
    await staff_user.should_see(kind=MessageBlock, content='Leave it at the door')
    send(staff_user, 'Will do')
    await customer_user.should_see(kind=MessageBlock, content='Will do')


async def test_a_visitor_is_asked_to_sign_in_and_another_customers_order_is_not_found(user: User,
                                                                                      running_desk: Desk) -> None:
    owner = await make_user(running_desk)
    order_id = await running_desk.orders.create(actor_id=owner.id, title='Secret', values={'items': TWO_ITEMS})
    await user.open('/orders')
    await user.should_see('Sign in to place orders and follow them.')
    await signed_in(user, running_desk)
    await user.open(f'/orders/{order_id}')
    await user.should_see('This order does not exist.')
    await user.should_not_see('Secret')


@pytest.mark.parametrize('text', sorted({'Line items', 'Delivery address', 'Note', 'Item', 'Quantity', 'Unit price',
                                         'Amount', 'Order', 'Items', 'Total', 'Last change', *vars(AMOUNT).values(),
                                         *vars(PRICE).values()}))
def test_texts_the_scan_cannot_see_have_russian(text: str) -> None:
    assert text in RU
