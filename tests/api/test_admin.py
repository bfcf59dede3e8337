"""Queues, workflows and users through the API: staff read, admins change, customers are turned away."""

from __future__ import annotations

import httpx

from domain.desk import Desk
from domain.queues.checks import STATUS_MAX
from tests.api.conftest import SignIn
from tests.factories import PASSWORD, make_user, unique


async def test_staff_read_queues_and_workflows_customers_may_not(api: httpx.AsyncClient,
                                                                 signed_in: SignIn) -> None:
    _agent, agent_headers = await signed_in('agent')
    _customer, customer_headers = await signed_in()
    queues = (await api.get('/queues', headers=agent_headers)).json()
    assert {'Board', 'Support'} <= {queue['name'] for queue in queues['items']}
    workflows = (await api.get('/workflows', headers=agent_headers)).json()['items']
    ticket = next(w for w in workflows if w['name'] == 'Ticket')
    assert [s['name'] for s in ticket['statuses']] == ['Open', 'In progress', 'Closed']
    assert ticket['transitions']
    one = await api.get(f'/workflows/{ticket["id"]}', headers=agent_headers)
    assert one.json() == ticket
    for path in ('/queues', '/workflows', f'/workflows/{ticket["id"]}'):
        refused = await api.get(path, headers=customer_headers)
        assert refused.status_code == 403 and refused.json()['error']['code'] == 'forbidden'
    changed = await api.post('/queues', json={'name': unique('Q'), 'visibility': 'private',
                                              'workflow_id': ticket['id']}, headers=agent_headers)
    assert changed.status_code == 403


async def test_queue_lists_page_with_a_cursor(api: httpx.AsyncClient, signed_in: SignIn) -> None:
    _agent, headers = await signed_in('agent')
    first = (await api.get('/queues', params={'limit': 1}, headers=headers)).json()
    second = (await api.get('/queues', params={'limit': 1, 'cursor': first['next_cursor']}, headers=headers)).json()
    assert first['items'] != second['items'] and len(second['items']) == 1


async def test_admins_build_a_workflow_and_a_queue_on_it(api: httpx.AsyncClient, signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    created = await api.post('/workflows', headers=headers, json={
        'name': unique('Flow '), 'statuses': [{'name': 'New', 'kind': 'open'}, {'name': 'Done', 'kind': 'closed'}]})
    assert created.status_code == 201
    workflow = created.json()
    new, done = [s['id'] for s in workflow['statuses']]
    added = await api.post(f'/workflows/{workflow["id"]}/statuses', json={'name': 'Doing', 'kind': 'active'},
                           headers=headers)
    doing = added.json()['statuses'][-1]['id']
    ordered = await api.put(f'/workflows/{workflow["id"]}/order', json={'status_ids': [new, doing, done]},
                            headers=headers)
    assert [s['name'] for s in ordered.json()['statuses']] == ['New', 'Doing', 'Done']
    moves = [{'from_status_id': new, 'to_status_id': doing}, {'from_status_id': doing, 'to_status_id': done}]
    with_moves = await api.put(f'/workflows/{workflow["id"]}/transitions', json={'transitions': moves},
                               headers=headers)
    assert with_moves.json()['transitions'] == moves
    renamed = await api.patch(f'/statuses/{doing}', json={'name': 'Working'}, headers=headers)
    assert renamed.status_code == 204
    deleted = await api.delete(f'/statuses/{doing}', headers=headers)
    assert deleted.status_code == 200 and deleted.json() == {'moved': 0}
    name = unique('Q')
    queue = await api.post('/queues', json={'name': name, 'visibility': 'private', 'workflow_id': workflow['id']},
                           headers=headers)
    assert queue.status_code == 201 and queue.json()['workflow'] == workflow['name']
    again = await api.post('/queues', json={'name': name.upper(), 'visibility': 'private',
                                            'workflow_id': workflow['id']}, headers=headers)
    assert again.status_code == 409 and again.json()['error']['field'] == 'name'
    renamed_queue = await api.put(f'/queues/{queue.json()["id"]}', json={
        'name': name + '2', 'visibility': 'public', 'workflow_id': workflow['id']}, headers=headers)
    assert renamed_queue.json()['visibility'] == 'public'
    bad = await api.post('/queues', json={'name': unique('Q'), 'visibility': 'secret',
                                          'workflow_id': workflow['id']}, headers=headers)
    assert bad.status_code == 422 and bad.json()['error']['field'] == 'visibility'



async def test_a_workflow_of_too_many_statuses_is_refused_with_the_reason(api: httpx.AsyncClient,
                                                                         signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    name = unique('Huge ')
    statuses = [{'name': f'Step {n}', 'kind': 'active'} for n in range(STATUS_MAX + 1)]
    refused = await api.post('/workflows', json={'name': name, 'statuses': statuses}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()['error'] == {'code': 'invalid_input', 'field': 'statuses',
                                       'message': f'A workflow has at most {STATUS_MAX} statuses.'}
    full = await api.post('/workflows', json={'name': name, 'statuses': statuses[:-1]}, headers=headers)
    assert full.status_code == 201
    more = await api.post(f'/workflows/{full.json()["id"]}/statuses', json=statuses[-1], headers=headers)
    assert more.status_code == 422 and more.json()['error']['field'] == 'name'


async def test_admins_manage_users_and_customers_may_not(api: httpx.AsyncClient, api_desk: Desk,
                                                         signed_in: SignIn) -> None:
    admin, headers = await signed_in('admin')
    _customer, customer_headers = await signed_in()
    assert (await api.get('/users', headers=customer_headers)).status_code == 403
    name = unique('agent')
    created = await api.post('/users', json={'username': name, 'password': PASSWORD, 'role': 'agent'},
                             headers=headers)
    assert created.status_code == 201 and created.json()['role'] == 'agent'
    user_id = created.json()['id']
    promoted = await api.put(f'/users/{user_id}/role', json={'role': 'admin'}, headers=headers)
    assert promoted.json()['role'] == 'admin'
    wrong = await api.put(f'/users/{user_id}/role', json={'role': 'boss'}, headers=headers)
    assert wrong.status_code == 422 and wrong.json()['error']['field'] == 'role'
    myself = await api.put(f'/users/{admin.id}/active', json={'active': False}, headers=headers)
    assert myself.status_code == 400 and myself.json()['error']['code'] == 'invalid_input'
    assert (await api.put('/users/999999/role', json={'role': 'agent'}, headers=headers)).status_code == 404
    found = (await api.get('/users', params={'search': name}, headers=headers)).json()
    assert [u['username'] for u in found['items']] == [name]


async def test_the_user_list_pages_by_name(api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    prefix = unique('pg')
    names = sorted([await make_user(api_desk, username=f'{prefix}{n}') for n in range(5)],
                   key=lambda user: user.username)
    seen: list[str] = []
    params: dict[str, object] = {'search': prefix, 'limit': 2}
    while True:
        page = (await api.get('/users', params=params, headers=headers)).json()
        seen += [user['username'] for user in page['items']]
        if not page['next_cursor']:
            break
        params['cursor'] = page['next_cursor']
    assert seen == [user.username for user in names]
