"""/api/v1/tickets filters: every queue for staff, assignee by name or none, time ranges, and the customer's side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from domain.desk import Desk
from tests.api.conftest import SignIn
from tests.factories import make_request, make_user


async def ids(api: httpx.AsyncClient, headers: dict[str, str], **params: object) -> list[int]:
    response = await api.get('/tickets', params={'limit': 100, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return [row['id'] for row in response.json()['items']]


async def test_staff_list_every_queue_and_filter_by_assignee(api: httpx.AsyncClient, api_desk: Desk,
                                                             signed_in: SignIn) -> None:
    agent, headers = await signed_in('agent')
    customer = await make_user(api_desk)
    board = await make_request(api_desk, customer)
    support = (await api_desk.support.write(actor_id=customer.id, text='hello')).conversation_id
    support_ticket = (await api_desk.support.chat(viewer_id=customer.id)).open_ticket_id
    order = await api_desk.orders.create(actor_id=customer.id, title='Two mugs', values={
        'items': [{'name': 'Mug', 'quantity': 2, 'unit_price': '4.50'}]})
    assert support and await ids(api, headers, customer=customer.username) == [order, support_ticket, board]
    taken = await api.post(f'/tickets/{board}/assign', json={'assignee': agent.username}, headers=headers)
    assert taken.status_code == 200 and taken.json()['assignee_id'] == agent.id
    assert await ids(api, headers, customer=customer.id, assignee=agent.username) == [board]
    assert await ids(api, headers, customer=customer.id, assignee=str(agent.id)) == [board]
    assert await ids(api, headers, customer=customer.id, assignee='none') == [order, support_ticket]
    assert await ids(api, headers, customer=customer.id, assignee='nobody-here') == []
    unassigned = await api.post(f'/tickets/{board}/assign', json={'assignee': None}, headers=headers)
    assert unassigned.json()['assignee_id'] is None
    refused = await api.post(f'/tickets/{board}/assign', json={'assignee': customer.username}, headers=headers)
    assert refused.status_code == 422 and refused.json()['error']['field'] == 'assignee'


async def test_time_ranges_are_from_inclusive_to_exclusive(api: httpx.AsyncClient, api_desk: Desk,
                                                           signed_in: SignIn) -> None:
    _agent, headers = await signed_in('agent')
    customer = await make_user(api_desk)
    first = await make_request(api_desk, customer)
    row = (await api.get(f'/tickets/{first}', headers=headers)).json()
    created = datetime.fromisoformat(row['created_at'])
    second = await make_request(api_desk, customer)
    assert await ids(api, headers, customer=customer.id, created_from=row['created_at']) == [second, first]
    assert await ids(api, headers, customer=customer.id, created_to=row['created_at']) == []
    later = (created + timedelta(microseconds=1)).astimezone(UTC).replace(tzinfo=None).isoformat()  # naive: UTC
    assert await ids(api, headers, customer=customer.id, created_to=later) == [first]
    assert await ids(api, headers, customer=customer.id, updated_from='9999-12-31T23:59:59-05:00') == []
    bad = await api.get('/tickets', params={'updated_to': '2026-12-01'}, headers=headers)
    assert bad.status_code == 422 and bad.json()['error']['field'] == 'updated_to'


async def test_a_customer_writes_to_staff_in_their_own_ticket(api: httpx.AsyncClient, api_desk: Desk,
                                                              signed_in: SignIn) -> None:
    customer, headers = await signed_in()
    agent, agent_headers = await signed_in('agent')
    await api.post('/support/messages', json={'text': 'first'}, headers=headers)
    ticket = (await api.get('/support', headers=headers)).json()['open_ticket_id']
    await api_desk.tickets.mark_read(viewer_id=agent.id, request_id=ticket)
    sent = await api.post(f'/tickets/{ticket}/replies', json={'text': 'and another thing'}, headers=headers)
    assert sent.status_code == 201 and sent.json()['author_id'] == customer.id
    assert (await api_desk.tickets.row(viewer_id=agent.id, request_id=ticket)).staff_unread  # stands out again
    thread = (await api.get(f'/tickets/{ticket}/messages', params={'limit': 1}, headers=agent_headers)).json()
    assert [m['body'] for m in thread['items']] == ['first'] and thread['next_cursor']
    rest = (await api.get(f'/tickets/{ticket}/messages', params={'cursor': thread['next_cursor']},
                          headers=agent_headers)).json()
    assert [m['body'] for m in rest['items']] == ['and another thing'] and rest['next_cursor'] is None
    board = await make_request(api_desk, customer)
    refused = await api.post(f'/tickets/{board}/replies', json={'text': 'hi'}, headers=headers)
    assert refused.status_code == 403  # the board's requests are answered through their conversations
