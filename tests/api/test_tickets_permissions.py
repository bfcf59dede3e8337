"""/api/v1/tickets: who may do what — visitor, its customer, another customer, agent, admin × each operation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from domain.desk import Desk
from domain.files import Upload
from storage.rows import UserRow
from tests.api.conftest import SignIn
from tests.api.test_tickets_api import private_queue
from tests.factories import make_user

ROLES = ('visitor', 'owner', 'other', 'agent', 'admin')
# Per operation, the status each role gets on a private ticket of the owner's. A customer asking for staff-only work
# (assign, take, a note) is refused before the ticket is looked up, so that 403 tells nothing about it.
EXPECTED: dict[str, tuple[int, int, int, int, int]] = {
    'list': (401, 200, 200, 200, 200),
    'get': (401, 200, 404, 200, 200),
    'file': (401, 201, 201, 201, 201),
    'file for a customer': (401, 403, 403, 201, 201),
    'status': (401, 200, 404, 200, 200),
    'assign': (401, 403, 403, 200, 200),
    'take': (401, 403, 403, 200, 200),
    'reply': (401, 201, 404, 201, 201),
    'note': (401, 403, 403, 201, 201),
    'messages': (401, 200, 404, 200, 200),
    'upload': (401, 201, 404, 201, 201),
    'download': (401, 200, 404, 200, 200),
}
Call = Callable[[httpx.AsyncClient, dict[str, str]], Awaitable[httpx.Response]]


async def test_the_permission_matrix(api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    admin, admin_headers = await signed_in('admin')
    owner, owner_headers = await signed_in()
    _other, other_headers = await signed_in()
    agent, agent_headers = await signed_in('agent')
    third = await make_user(api_desk)  # whom 'file for a customer' files for: nobody who calls
    headers = {'visitor': {}, 'owner': owner_headers, 'other': other_headers, 'agent': agent_headers,
               'admin': admin_headers}
    hr = await private_queue(api_desk, admin)
    statuses = {s.name: s.id for s in await api_desk.requests.statuses()}  # the board's: the Ticket workflow's too
    found: dict[str, tuple[int, ...]] = {}
    for operation in EXPECTED:
        answers = []
        for role in ROLES:
            ticket = await api_desk.queue_tickets.file(actor_id=owner.id, queue_id=hr, title='Desk chair', text='')
            if operation == 'download':
                message = await api_desk.queue_tickets.write(actor_id=owner.id, request_id=ticket, text='see',
                                                             files=[Upload('plan.txt', b'plan')])
                call = _download(ticket, message.attachments[0].id)
            else:
                call = _calls(hr, ticket, third, agent, statuses)[operation]
            response = await call(api, headers[role])
            answers.append(response.status_code)
            if operation == 'list' and response.status_code == 200:
                listed = ticket in [row['id'] for row in response.json()['items']]
                assert listed == (role != 'other'), role
        found[operation] = tuple(answers)
    assert found == EXPECTED


def _calls(queue_id: int, ticket: int, customer: UserRow, agent: UserRow, statuses: dict[str, int]) -> dict[str, Call]:
    def post(path: str, **body: Any) -> Call:
        return lambda api, headers: api.post(path, headers=headers, **body)

    def get(path: str, **params: Any) -> Call:
        return lambda api, headers: api.get(path, headers=headers, params=params)

    at = f'/tickets/{ticket}'
    return {
        'list': get('/tickets', queue_id=queue_id),
        'get': get(at),
        'file': post('/tickets', json={'queue_id': queue_id, 'title': 'Monitor'}),
        'file for a customer': post('/tickets', json={'queue_id': queue_id, 'title': 'Monitor',
                                                      'customer': customer.id}),
        'status': post(f'{at}/status', json={'status_id': statuses['In progress']}),
        'assign': post(f'{at}/assign', json={'assignee': agent.id}),
        'take': post(f'{at}/take'),
        'reply': post(f'{at}/replies', json={'text': 'any news?'}),
        'note': post(f'{at}/replies', json={'text': 'internal', 'note': True}),
        'messages': get(f'{at}/messages'),
        'upload': post(f'{at}/files', data={'text': 'photo'}, files=[('files', ('a.png', b'\x89PNG', 'image/png'))]),
    }


def _download(ticket: int, attachment_id: int) -> Call:
    return lambda api, headers: api.get(f'/tickets/{ticket}/files/{attachment_id}', headers=headers)


async def test_a_file_of_another_ticket_is_not_found_under_this_one(api: httpx.AsyncClient, api_desk: Desk,
                                                                   signed_in: SignIn) -> None:
    customer, headers = await signed_in()
    message = await api_desk.support.write(actor_id=customer.id, text='see', files=[Upload('a.txt', b'a')])
    board = await api_desk.requests.create(actor_id=customer.id, title='Mine too')
    found = await api.get(f'/tickets/{board}/files/{message.attachments[0].id}', headers=headers)
    assert found.status_code == 404 and found.json()['error']['code'] == 'not_found'


async def test_filing_names_the_queue_it_cannot_file_in(api: httpx.AsyncClient, api_desk: Desk,
                                                        signed_in: SignIn) -> None:
    _customer, headers = await signed_in()
    orders = await api_desk.orders.form()
    for queue_id, status, field in ((orders.queue_id, 422, 'queue_id'), (999_999, 404, 'queue_id')):
        response = await api.post('/tickets', json={'queue_id': queue_id, 'title': 'x'}, headers=headers)
        assert (response.status_code, response.json()['error']['field']) == (status, field)


async def test_a_second_open_support_ticket_is_a_conflict(api: httpx.AsyncClient, api_desk: Desk,
                                                          signed_in: SignIn) -> None:
    _customer, headers = await signed_in()
    await api.post('/support/messages', json={'text': 'first'}, headers=headers)
    support = (await api.get('/tickets', headers=headers)).json()['items'][0]['queue_id']
    again = await api.post('/tickets', json={'queue_id': support, 'title': 'second', 'text': 'again'},
                           headers=headers)
    assert again.status_code == 409 and again.json()['error']['field'] == 'queue_id'
