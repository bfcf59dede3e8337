"""/api/v1/requests: create, read, list with the list page's filters and a cursor, change status, assign."""

from __future__ import annotations

import httpx

from domain.desk import Desk
from tests.api.conftest import SignIn
from tests.factories import make_request, make_user


async def test_a_request_filed_through_the_api_is_on_the_board(api: httpx.AsyncClient, api_desk: Desk,
                                                               signed_in: SignIn) -> None:
    author, headers = await signed_in()
    created = await api.post('/requests', json={'title': '  Broken chair ', 'description': 'wobbly'},
                             headers=headers)
    assert created.status_code == 201
    body = created.json()
    assert (body['title'], body['status']['name'], body['channel'], body['author_id'], body['is_author']) == \
        ('Broken chair', 'Open', 'api', author.id, True)
    assert [s['name'] for s in body['next_statuses']] == ['In progress', 'Closed']
    view = await api_desk.requests.open(viewer_id=None, request_id=body['id'])  # the pages' own service
    assert view.request.title == 'Broken chair'
    fetched = await api.get(f'/requests/{body["id"]}', headers=headers)
    assert fetched.status_code == 200 and fetched.json() == body


async def test_bad_input_names_the_field(api: httpx.AsyncClient, signed_in: SignIn) -> None:
    _author, headers = await signed_in()
    for body, field in (({'title': ''}, 'title'), ({'title': 'x' * 201}, 'title'), ({}, 'title'),
                        ({'title': 'ok', 'status_id': 0}, 'status_id'),
                        ({'title': 'ok', 'status_id': 999}, 'status_id'),
                        ({'title': 'ok', 'colour': 'red'}, 'colour')):
        response = await api.post('/requests', json=body, headers=headers)
        assert response.status_code in (404, 422), body
        assert response.json()['error']['field'] == field, body


async def test_the_list_pages_with_a_cursor_newest_first(api: httpx.AsyncClient, api_desk: Desk,
                                                         signed_in: SignIn) -> None:
    author, headers = await signed_in()
    ids = [await make_request(api_desk, author, title=f'Item {n}') for n in range(7)]
    seen: list[int] = []
    cursor = None
    for _ in range(4):
        params = {'limit': 3, 'mine': True, **({'cursor': cursor} if cursor else {})}
        page = (await api.get('/requests', params=params, headers=headers)).json()
        seen += [item['id'] for item in page['items']]
        cursor = page['next_cursor']
        if cursor is None:
            break
    assert seen == ids[::-1]
    oldest = (await api.get('/requests', params={'mine': True, 'order': 'asc', 'limit': 2}, headers=headers)).json()
    assert [item['id'] for item in oldest['items']] == ids[:2]


async def test_the_list_filters_like_the_list_page(api: httpx.AsyncClient, api_desk: Desk,
                                                   signed_in: SignIn) -> None:
    alice, headers = await signed_in()
    bob = await make_user(api_desk)
    printer = await make_request(api_desk, alice, title='Zprinterx jams')
    coffee = await make_request(api_desk, bob, title='Coffee machine')
    closed = (await api_desk.requests.statuses())[2]
    await api_desk.requests.change_status(actor_id=bob.id, request_id=coffee, status_id=closed.id)

    async def ids(**params: object) -> list[int]:
        response = await api.get('/requests', params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [item['id'] for item in response.json()['items']]

    assert await ids(search='ZPRINTERX') == [printer]
    assert await ids(mine=True) == [printer]
    assert await ids(status_id=closed.id) == [coffee]
    assert (await ids(sort='updated'))[0] == coffee


async def test_bad_list_parameters_are_a_422_on_the_parameter(api: httpx.AsyncClient, signed_in: SignIn) -> None:
    _author, headers = await signed_in()
    first = (await api.get('/requests', params={'limit': 1}, headers=headers)).json()
    for params, field in (({'limit': 101}, 'limit'), ({'limit': 0}, 'limit'), ({'sort': 'title'}, 'sort'),
                          ({'order': 'up'}, 'order'), ({'cursor': 'not-a-cursor'}, 'cursor'),
                          ({'cursor': first['next_cursor'], 'sort': 'updated'}, 'cursor')):
        response = await api.get('/requests', params=params, headers=headers)
        assert response.status_code == 422, params
        assert response.json()['error']['field'] == field, params


async def test_status_moves_along_the_workflow_for_the_author_and_staff_only(api: httpx.AsyncClient,
                                                                            api_desk: Desk,
                                                                            signed_in: SignIn) -> None:
    author, author_headers = await signed_in()
    _other, other_headers = await signed_in()
    _agent, agent_headers = await signed_in('agent')
    request_id = await make_request(api_desk, author)
    progress, closed = [s.id for s in await api_desk.requests.statuses()][1:]
    refused = await api.post(f'/requests/{request_id}/status', json={'status_id': progress}, headers=other_headers)
    assert refused.status_code == 403 and refused.json()['error']['code'] == 'forbidden'
    moved = await api.post(f'/requests/{request_id}/status', json={'status_id': progress}, headers=author_headers)
    assert moved.status_code == 200 and moved.json()['status']['name'] == 'In progress'
    closed_now = await api.post(f'/requests/{request_id}/status', json={'status_id': closed}, headers=agent_headers)
    assert closed_now.json()['closed_at'] is not None
    again = await api.post(f'/requests/{request_id}/status', json={'status_id': closed}, headers=agent_headers)
    assert again.status_code == 409 and again.json()['error']['code'] == 'invalid_transition'


async def test_staff_assign_and_customers_may_not(api: httpx.AsyncClient, api_desk: Desk,
                                                  signed_in: SignIn) -> None:
    author, author_headers = await signed_in()
    agent, agent_headers = await signed_in('agent')
    request_id = await make_request(api_desk, author)
    refused = await api.put(f'/requests/{request_id}/assignee', json={'assignee_id': agent.id},
                            headers=author_headers)
    assert refused.status_code == 403
    assigned = await api.put(f'/requests/{request_id}/assignee', json={'assignee_id': agent.id},
                             headers=agent_headers)
    assert assigned.status_code == 200 and assigned.json()['assignee'] == agent.display_name
    not_staff = await api.put(f'/requests/{request_id}/assignee', json={'assignee_id': author.id},
                              headers=agent_headers)
    assert not_staff.status_code == 422 and not_staff.json()['error']['field'] == 'assignee_id'
    cleared = await api.put(f'/requests/{request_id}/assignee', json={'assignee_id': None}, headers=agent_headers)
    assert cleared.json()['assignee_id'] is None


async def test_a_support_ticket_is_hidden_from_other_customers(api: httpx.AsyncClient, api_desk: Desk,
                                                               signed_in: SignIn) -> None:
    customer, headers = await signed_in()
    _other, other_headers = await signed_in()
    await api_desk.support.write(actor_id=customer.id, text='my printer is on fire')
    ticket_id = (await api_desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert (await api.get(f'/requests/{ticket_id}', headers=headers)).json()['visibility'] == 'private'
    hidden = await api.get(f'/requests/{ticket_id}', headers=other_headers)
    assert hidden.status_code == 404
    assert hidden.json() == {'error': {'code': 'not_found', 'message': 'This request does not exist.'}}
