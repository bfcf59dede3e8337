"""Orders on both databases: filing with line items, the stored total, who sees and moves which order."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from domain.desk import Desk
from domain.errors import InvalidInput, NotFound, NotSignedIn, PermissionDenied
from domain.orders.service import PAGE_SIZE, OrderQuery
from storage.model_automation import Rule
from storage.models import Event, Queue, Request
from storage.rows import UserRow
from tests.factories import make_user, unique

TWO_ITEMS = [{'name': 'Stapler', 'quantity': '2', 'unit_price': '12,50'},
             {'name': 'Paper A4', 'quantity': 3, 'unit_price': 499}]


async def file_order(desk: Desk, author: UserRow, *, title: str | None = None, **values: object) -> int:
    return await desk.orders.create(actor_id=author.id, title=title or unique('Order '),
                                    values={'items': TWO_ITEMS, **values})


async def statuses(desk: Desk) -> dict[str, int]:
    return {status.name: status.id for status in (await desk.orders.form()).statuses}


async def test_the_migration_ships_the_orders_queue_and_the_rule_that_moves_orders_on(desk: Desk) -> None:
    async with desk.database.connect() as connection:
        queue = (await connection.execute(select(Queue).where(Queue.name == 'Orders'))).one()
        rule = (await connection.execute(select(Rule).where(Rule.name == 'Orders move on every minute'))).one()
    assert (queue.visibility, queue.one_open_per_author) == ('private', False)
    assert [(f['key'], f['kind'], f['required']) for f in queue.fields] == [
        ('items', 'items', True), ('delivery_address', 'text', False), ('note', 'text', False)]
    assert (rule.trigger, rule.enabled, rule.position) == ('time_in_status', True, 0)
    assert rule.conditions == [{'field': 'queue', 'op': 'is', 'value': queue.id},
                               {'field': 'status', 'op': 'in', 'value': ['PENDING', 'PAID', 'SHIPPED']},
                               {'field': 'time_in_status', 'op': 'longer_than', 'value': 60}]
    assert rule.actions == [{'type': 'set_status', 'status': '__next__'}]
    form = await desk.orders.form()
    assert (form.queue_id, form.currency) == (queue.id, 'EUR')
    assert [s.name for s in form.statuses] == ['PENDING', 'PAID', 'SHIPPED', 'CANCELED']


async def test_a_customer_files_an_order_and_its_total_is_stored(desk: Desk) -> None:
    customer = await make_user(desk)
    order_id = await desk.orders.create(actor_id=customer.id, title='  Office supplies ', channel='api',
                                        values={'items': TWO_ITEMS, 'delivery_address': ' Main street 1 '})
    view = await desk.orders.open(viewer_id=customer.id, order_id=order_id)
    assert (view.order.title, view.order.queue, view.status.name) == ('Office supplies', 'Orders', 'PENDING')
    assert [(i.name, i.quantity, i.unit_price) for i in view.items] == [('Stapler', 2, 1250), ('Paper A4', 3, 499)]
    assert (view.total, view.currency) == (2 * 1250 + 3 * 499, 'EUR')
    assert view.values['delivery_address'] == 'Main street 1' and 'note' not in view.values
    assert view.next_statuses == [] and not view.is_staff  # the shop moves orders, not the customer
    async with desk.database.connect() as connection:
        stored = await connection.scalar(select(Request.fields).where(Request.id == order_id))
        event = (await connection.execute(select(Event.kind, Event.channel, Event.data)
                                       .where(Event.request_id == order_id))).one()
    assert stored['total'] == 3997
    assert event == ('request.created', 'api', {'status': 'PENDING'})


async def test_bad_values_are_refused_on_their_field_and_nothing_is_filed(desk: Desk) -> None:
    customer = await make_user(desk)
    bad_price = [{'name': 'Pen', 'quantity': 1, 'unit_price': 'x'}]
    for values, field in (({'items': []}, 'items'), ({'items': bad_price}, 'items'),
                          ({'items': TWO_ITEMS, 'note': 'n' * 501}, 'note'),
                          ({'items': TWO_ITEMS, 'size': 'L'}, 'size')):
        with pytest.raises(InvalidInput) as refused:
            await desk.orders.create(actor_id=customer.id, title='Pens', values=values)
        assert refused.value.field == field
    with pytest.raises(InvalidInput) as refused:
        await desk.orders.create(actor_id=customer.id, title=' ', values={'items': TWO_ITEMS})
    assert refused.value.field == 'title'
    with pytest.raises(NotSignedIn):
        await desk.orders.create(actor_id=None, title='Pens', values={'items': TWO_ITEMS})
    async with desk.database.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(Request)
                                    .where(Request.author_id == customer.id)) == 0


async def test_a_customer_sees_only_their_own_orders_and_staff_see_all(desk: Desk) -> None:
    alice, bob, agent = await make_user(desk), await make_user(desk), await make_user(desk, role='agent')
    alices, bobs = await file_order(desk, alice), await file_order(desk, bob)
    listed = await desk.orders.list(viewer_id=alice.id, query=OrderQuery())
    assert [row.id for row in listed.rows] == [alices]
    assert (listed.rows[0].total, listed.rows[0].currency, listed.rows[0].item_count) == (3997, 'EUR', 2)
    with pytest.raises(NotFound):
        await desk.orders.open(viewer_id=alice.id, order_id=bobs)
    with pytest.raises(NotFound):
        await desk.requests.open(viewer_id=alice.id, request_id=bobs)
    assert {alices, bobs} <= {row.id for row in (await desk.orders.list(viewer_id=agent.id, query=OrderQuery())).rows}
    view = await desk.orders.open(viewer_id=agent.id, order_id=bobs)
    assert view.is_staff and [s.name for s in view.next_statuses] == ['PAID', 'CANCELED']
    with pytest.raises(NotSignedIn):
        await desk.orders.list(viewer_id=None, query=OrderQuery())


async def test_a_board_request_is_not_an_order(desk: Desk) -> None:
    author = await make_user(desk)
    request_id = await desk.requests.create(actor_id=author.id, title='Not an order')
    with pytest.raises(NotFound):
        await desk.orders.open(viewer_id=author.id, order_id=request_id)


async def test_only_staff_move_an_order_along_its_workflow(desk: Desk) -> None:
    customer, agent = await make_user(desk), await make_user(desk, role='agent')
    order_id = await file_order(desk, customer)
    ids = await statuses(desk)
    with pytest.raises(PermissionDenied):
        await desk.requests.change_status(actor_id=customer.id, request_id=order_id, status_id=ids['PAID'])
    await desk.requests.change_status(actor_id=agent.id, request_id=order_id, status_id=ids['PAID'])
    assert (await desk.orders.open(viewer_id=customer.id, order_id=order_id)).status.name == 'PAID'


async def test_the_status_filter_and_the_pages(desk: Desk) -> None:
    customer, agent = await make_user(desk), await make_user(desk, role='agent')
    ids = await statuses(desk)
    orders = [await file_order(desk, customer, title=f'Order {n}') for n in range(PAGE_SIZE + 2)]
    await desk.requests.change_status(actor_id=agent.id, request_id=orders[0], status_id=ids['PAID'])
    first = await desk.orders.list(viewer_id=customer.id, query=OrderQuery())
    second = await desk.orders.list(viewer_id=customer.id, query=OrderQuery(page=2))
    assert (first.total, first.pages, len(first.rows), second.page) == (PAGE_SIZE + 2, 2, PAGE_SIZE, 2)
    assert [row.id for row in first.rows + second.rows] == orders[::-1]
    paid = await desk.orders.list(viewer_id=customer.id, query=OrderQuery(status_id=ids['PAID']))
    assert [row.id for row in paid.rows] == [orders[0]]
    by_key = await desk.orders.browse(viewer_id=customer.id, limit=3)
    after = by_key.rows[-1]
    rest = await desk.orders.browse(viewer_id=customer.id, limit=100, after=(after.created_at, after.id))
    assert by_key.more and not rest.more
    assert [row.id for row in by_key.rows + rest.rows] == orders[::-1]


async def test_the_customer_and_the_shop_talk_about_an_order(desk: Desk) -> None:
    customer, other, agent = await make_user(desk), await make_user(desk), await make_user(desk, role='agent')
    order_id = await file_order(desk, customer)
    await desk.orders.write(actor_id=customer.id, order_id=order_id, text='Deliver after 5 pm, please')
    await desk.tickets.reply(actor_id=agent.id, request_id=order_id, text='Noted')
    await desk.tickets.reply(actor_id=agent.id, request_id=order_id, text='VIP customer', note=True)
    seen = await desk.orders.open(viewer_id=customer.id, order_id=order_id)
    assert [m.body for m in seen.messages] == ['Deliver after 5 pm, please', 'Noted']  # never the staff's notes
    staff_view = await desk.orders.open(viewer_id=agent.id, order_id=order_id)
    assert [m.body for m in staff_view.messages] == ['Deliver after 5 pm, please', 'Noted', 'VIP customer']
    with pytest.raises(NotFound):
        await desk.orders.write(actor_id=other.id, order_id=order_id, text='me too')
    with pytest.raises(PermissionDenied):
        await desk.orders.write(actor_id=agent.id, order_id=order_id, text='staff reply in the desk')
    with pytest.raises(InvalidInput):
        await desk.orders.write(actor_id=customer.id, order_id=order_id, text='  ')


async def test_the_general_path_files_in_any_queue_but_a_support_desk(desk: Desk) -> None:
    customer = await make_user(desk)
    board = await desk.requests.board()
    request_id = await desk.requests.create_in(actor_id=customer.id, queue_id=board.id, title='Via any queue')
    assert (await desk.requests.open(viewer_id=customer.id, request_id=request_id)).request.queue == 'Board'
    with pytest.raises(InvalidInput) as refused:
        await desk.requests.create_in(actor_id=customer.id, queue_id=board.id, title='x', values={'items': []})
    assert refused.value.field == 'items'
    async with desk.database.connect() as connection:
        support = await connection.scalar(select(Queue.id).where(Queue.name == 'Support'))
    for queue_id in (support, 10**12):
        with pytest.raises(NotFound):
            await desk.requests.create_in(actor_id=customer.id, queue_id=queue_id, title='x')
