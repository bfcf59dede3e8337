"""GET /api/v1/tickets counts per status (kept by the database's triggers): what just changed shows at once, and a
customer's counts are of their own tickets only."""

from __future__ import annotations

import httpx

from domain.desk import Desk
from tests.api.conftest import SignIn
from tests.api.test_tickets_api import private_queue, telegram_ticket


async def _counts(api: httpx.AsyncClient, headers: dict[str, str], **params: object) -> dict[str, int]:
    response = await api.get('/tickets', params=params, headers=headers)
    assert response.status_code == 200, response.text
    return {count['name']: count['count'] for count in response.json()['counts']}


async def test_a_new_ticket_a_status_change_and_an_assignment_count_at_once(
        api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    admin, _admin_headers = await signed_in('admin')
    _customer, headers = await signed_in()
    agent, agent_headers = await signed_in('agent')
    hr = await private_queue(api_desk, admin)
    assert await _counts(api, agent_headers, queue_id=hr) == {'Open': 0, 'In progress': 0, 'Closed': 0}

    first = (await api.post('/tickets', json={'queue_id': hr, 'title': 'New laptop'}, headers=headers)).json()
    await api.post('/tickets', json={'queue_id': hr, 'title': 'Parking card'}, headers=headers)
    assert await _counts(api, agent_headers, queue_id=hr) == {'Open': 2, 'In progress': 0, 'Closed': 0}

    active = next(s['id'] for s in first['next_statuses'] if s['kind'] == 'active')
    moved = await api.post(f'/tickets/{first["id"]}/status', json={'status_id': active}, headers=agent_headers)
    assert moved.status_code == 200, moved.text
    assert await _counts(api, agent_headers, queue_id=hr) == {'Open': 1, 'In progress': 1, 'Closed': 0}
    assert await _counts(api, agent_headers, queue_id=hr, status_id=active) == \
        {'Open': 1, 'In progress': 1, 'Closed': 0}  # the counts leave the status filter out
    assert await _counts(api, agent_headers, queue_id=hr, assignee='me') == {'Open': 0, 'In progress': 0, 'Closed': 0}

    assert (await api.post(f'/tickets/{first["id"]}/take', headers=agent_headers)).status_code == 200
    assert await _counts(api, agent_headers, queue_id=hr, assignee='me') == {'Open': 0, 'In progress': 1, 'Closed': 0}
    assert await _counts(api, agent_headers, queue_id=hr, assignee=agent.username) == \
        {'Open': 0, 'In progress': 1, 'Closed': 0}
    assert await _counts(api, agent_headers, queue_id=hr, assignee='none') == {'Open': 1, 'In progress': 0, 'Closed': 0}
    assert await _counts(api, agent_headers, queue_id=hr, assignee='nobody-by-this-name') == \
        {'Open': 0, 'In progress': 0, 'Closed': 0}
    assert await _counts(api, agent_headers, queue_id=hr, channel='api') == {'Open': 1, 'In progress': 1, 'Closed': 0}
    assert await _counts(api, agent_headers, queue_id=hr, channel='telegram') == \
        {'Open': 0, 'In progress': 0, 'Closed': 0}


async def test_a_customer_counts_their_own_tickets_and_staff_count_everyones(
        api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    admin, _admin_headers = await signed_in('admin')
    _customer, headers = await signed_in()
    _other, other_headers = await signed_in()
    _agent, agent_headers = await signed_in('agent')
    hr = await private_queue(api_desk, admin)
    for title in ('Laptop', 'Chair', 'Desk lamp'):
        assert (await api.post('/tickets', json={'queue_id': hr, 'title': title},
                               headers=other_headers)).status_code == 201
    await api.post('/tickets', json={'queue_id': hr, 'title': 'Monitor'}, headers=headers)
    await telegram_ticket(api_desk, 5_550_001, 'where is my parcel')  # someone else's, in Support

    assert (await _counts(api, headers, queue_id=hr))['Open'] == 1
    assert (await _counts(api, other_headers, queue_id=hr))['Open'] == 3
    assert (await _counts(api, agent_headers, queue_id=hr))['Open'] == 4
    everywhere = await _counts(api, headers)
    assert sum(everywhere.values()) == 1  # every queue: only the customer's own one
    assert sum((await _counts(api, agent_headers)).values()) >= 5
    assert sum((await _counts(api, headers, channel='telegram')).values()) == 0
    assert sum((await _counts(api, agent_headers, channel='telegram')).values()) == 1
