"""/api/v1/orders: place an order with line items, read it, list by a cursor; customers see only their own."""

from __future__ import annotations

import httpx

from domain.desk import Desk
from tests.api.conftest import SignIn

ITEMS = [{'name': 'Stapler', 'quantity': 2, 'unit_price': 1250}, {'name': 'Paper A4', 'quantity': 3, 'unit_price': 499}]


async def test_an_order_placed_through_the_api_has_its_items_and_total(api: httpx.AsyncClient, api_desk: Desk,
                                                                      signed_in: SignIn) -> None:
    customer, headers = await signed_in()
    created = await api.post('/orders', json={'title': ' Office supplies ', 'items': ITEMS,
                                              'fields': {'delivery_address': 'Main street 1'}}, headers=headers)
    assert created.status_code == 201
    body = created.json()
    assert (body['title'], body['status']['name'], body['channel'], body['author_id']) == \
        ('Office supplies', 'PENDING', 'api', customer.id)
    assert [(i['name'], i['amount']) for i in body['items']] == [('Stapler', 2500), ('Paper A4', 1497)]
    assert (body['total'], body['currency'], body['total_text']) == (3997, 'EUR', '39.97 EUR')
    assert body['fields'] == {'delivery_address': 'Main street 1'} and body['next_statuses'] == []
    view = await api_desk.orders.open(viewer_id=customer.id, order_id=body['id'])  # the pages' own service
    assert view.total == 3997
    fetched = await api.get(f'/orders/{body["id"]}', headers=headers)
    assert fetched.status_code == 200 and fetched.json() == body


async def test_bad_input_names_the_field(api: httpx.AsyncClient, signed_in: SignIn) -> None:
    _customer, headers = await signed_in()
    item = ITEMS[0]
    for body, field in (({'title': 'x', 'items': []}, 'items'), ({'title': '', 'items': ITEMS}, 'title'),
                        ({'title': 'x', 'items': [{**item, 'quantity': 0}]}, 'items.0.quantity'),
                        ({'title': 'x', 'items': [{**item, 'unit_price': -1}]}, 'items.0.unit_price'),
                        ({'title': 'x', 'items': [{**item, 'colour': 'red'}]}, 'items.0.colour'),
                        ({'title': 'x', 'items': [{**item, 'name': ' '}]}, 'items.0.name'),
                        ({'title': 'x', 'items': ITEMS, 'fields': {'size': 'L'}}, 'size'),
                        ({'title': 'x', 'items': ITEMS, 'fields': {'total': 1}}, 'total'),
                        ({'title': 'x', 'items': ITEMS, 'fields': {'items': 'x'}}, 'fields.items'),
                        ({'title': 'x', 'items': ITEMS, 'fields': {'note': 'n' * 501}}, 'note'),
                        ({'title': 'x', 'items': ITEMS, 'price': 5}, 'price')):
        response = await api.post('/orders', json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json()['error']['field'] == field, body


async def test_customers_list_their_own_orders_by_cursor_and_staff_list_all(api: httpx.AsyncClient,
                                                                            signed_in: SignIn) -> None:
    _alice, alice_headers = await signed_in()
    _bob, bob_headers = await signed_in()
    _agent, agent_headers = await signed_in('agent')
    ids = [(await api.post('/orders', json={'title': f'Order {n}', 'items': ITEMS}, headers=alice_headers)).json()['id']
           for n in range(5)]
    bobs = (await api.post('/orders', json={'title': 'Bob', 'items': ITEMS}, headers=bob_headers)).json()['id']
    seen: list[int] = []
    cursor = None
    for _ in range(4):
        page = (await api.get('/orders', params={'limit': 2, **({'cursor': cursor} if cursor else {})},
                              headers=alice_headers)).json()
        seen += [item['id'] for item in page['items']]
        cursor = page['next_cursor']
        if cursor is None:
            break
    assert seen == ids[::-1]
    assert (await api.get(f'/orders/{bobs}', headers=alice_headers)).status_code == 404
    everything = (await api.get('/orders', params={'limit': 100}, headers=agent_headers)).json()
    assert {bobs, *ids} <= {item['id'] for item in everything['items']}
    paid = {s['name']: s['id'] for s in (await api.get('/orders/form', headers=alice_headers)).json()['statuses']}
    moved = await api.post(f'/requests/{ids[0]}/status', json={'status_id': paid['PAID']}, headers=agent_headers)
    assert moved.status_code == 200
    refused = await api.post(f'/requests/{ids[1]}/status', json={'status_id': paid['PAID']}, headers=alice_headers)
    assert refused.status_code == 403
    only_paid = (await api.get('/orders', params={'status_id': paid['PAID']}, headers=alice_headers)).json()
    assert [item['id'] for item in only_paid['items']] == [ids[0]]
    assert (await api.get('/orders')).status_code == 401


async def test_the_form_names_the_fields_and_statuses(api: httpx.AsyncClient, signed_in: SignIn) -> None:
    _customer, headers = await signed_in()
    form = (await api.get('/orders/form', headers=headers)).json()
    assert [(f['key'], f['kind'], f['required']) for f in form['fields']] == [
        ('items', 'items', True), ('delivery_address', 'text', False), ('note', 'text', False)]
    assert [s['name'] for s in form['statuses']] == ['PENDING', 'PAID', 'SHIPPED', 'CANCELED']
    assert form['currency'] == 'EUR'
