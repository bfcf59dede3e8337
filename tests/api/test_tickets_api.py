"""/api/v1/tickets: the Telegram desk and employee-requests stories, filters and counts, and a cursor under churn."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select

from channels.telegram_api import BotApi
from channels.telegram_outbound import DELIVER_JOB, Outbound
from domain.desk import Desk
from storage.model_automation import Job
from storage.rows import UserRow
from tests.api.conftest import SignIn
from tests.factories import make_request, make_user, unique
from tests.fakes.telegram_api import FakeBotApi

CHAT = 424_242_777


@pytest.fixture
async def telegram_desk(api_desk: Desk, bot_api: FakeBotApi) -> AsyncIterator[Desk]:
    """The running app's desk with Telegram's outbound jobs on, pointed at the fake Bot API."""
    client = BotApi(bot_api.token, bot_api.base_url, timeout=5)
    Outbound(api_desk, client).follow()
    yield api_desk
    await client.aclose()


async def telegram_ticket(desk: Desk, chat: int, text: str) -> int:
    message = await desk.telegram.intake(chat_id=chat, from_name=unique('Tg '), text=text, message_ref=unique())
    assert message is not None
    async with desk.database.connect() as connection:
        from storage.models import Message
        return await connection.scalar(select(Message.request_id).where(Message.id == message.id))


async def deliveries(desk: Desk) -> list[int]:
    """The message ids of the Telegram delivery jobs queued so far."""
    async with desk.database.connect() as connection:
        rows = await connection.execute(select(Job.payload).where(Job.kind == DELIVER_JOB).order_by(Job.id))
        return [payload['data']['message_id'] for payload, in rows]


async def test_the_telegram_desk_story(api: httpx.AsyncClient, telegram_desk: Desk, bot_api: FakeBotApi,
                                       signed_in: SignIn) -> None:
    desk = telegram_desk
    agent, headers = await signed_in('agent')
    other_agent = await make_user(desk, role='agent')
    mine_old = await telegram_ticket(desk, CHAT, 'parcel late')
    mine_new = await telegram_ticket(desk, CHAT + 1, 'wrong size')
    theirs = await telegram_ticket(desk, CHAT + 2, 'refund please')
    closed = await telegram_ticket(desk, CHAT + 3, 'thanks, solved')
    for ticket in (mine_old, mine_new, closed):
        await desk.tickets.take(actor_id=agent.id, request_id=ticket)
    await desk.tickets.assign(actor_id=agent.id, request_id=theirs, assignee_id=other_agent.id)
    statuses = {s['name']: s['id'] for s in (await api.get(f'/tickets/{closed}', headers=headers)).json()
                ['next_statuses']}
    assert (await api.post(f'/tickets/{closed}/status', json={'status_id': statuses['Closed']},
                           headers=headers)).status_code == 200
    await desk.tickets.mark_read(viewer_id=agent.id, request_id=mine_old)  # touches nothing: order stays

    listed = await api.get('/tickets', params={'assignee': 'me', 'kind': ['open', 'active'], 'channel': 'telegram',
                                               'sort': 'updated', 'order': 'desc'}, headers=headers)
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert [row['id'] for row in page['items']] == [mine_new, mine_old]
    assert {row['channel'] for row in page['items']} == {'telegram'}
    assert {row['assignee_id'] for row in page['items']} == {agent.id}
    by_name = {count['name']: count['count'] for count in page['counts']}
    assert by_name['Closed'] == 1 and by_name['Open'] + by_name.get('In progress', 0) == 2

    before = len(await deliveries(desk))  # the customers' own messages are followed too (and never sent back)
    answered = await api.post(f'/tickets/{mine_new}/replies', json={'text': 'On its way'}, headers=headers)
    assert answered.status_code == 201, answered.text
    page_reply = await desk.tickets.reply(actor_id=agent.id, request_id=mine_old, text='From the page')
    assert (await deliveries(desk))[before:] == [answered.json()['id'], page_reply.id]  # the same job the page queues
    for _ in range(100):
        if len(bot_api.sent) >= 2:
            break
        await asyncio.sleep(0.05)
    assert sorted((s.chat_id, s.text) for s in bot_api.sent) == [(str(CHAT), 'From the page'),
                                                                 (str(CHAT + 1), 'On its way')]

    noted = await api.post(f'/tickets/{mine_new}/replies', json={'text': 'SECRET-NOTE vip', 'note': True},
                           headers=headers)
    assert noted.status_code == 201 and noted.json()['kind'] == 'note'
    assert len(await deliveries(desk)) == before + 2  # a note never goes to Telegram
    staff_thread = (await api.get(f'/tickets/{mine_new}/messages', headers=headers)).json()['items']
    assert [m['body'] for m in staff_thread] == ['wrong size', 'On its way', 'SECRET-NOTE vip']


async def test_a_note_is_invisible_to_the_customer_by_any_field(api: httpx.AsyncClient, api_desk: Desk,
                                                                signed_in: SignIn) -> None:
    customer, headers = await signed_in()
    _agent, agent_headers = await signed_in('agent')
    await api.post('/support/messages', json={'text': 'My order is late'}, headers=headers)
    ticket = (await api.get('/support', headers=headers)).json()['open_ticket_id']
    with_file = await api.post(f'/tickets/{ticket}/files', data={'text': 'SECRET-NOTE file', 'note': 'true'},
                               files=[('files', ('secret.txt', b'SECRET-NOTE', 'text/plain'))], headers=agent_headers)
    assert with_file.status_code == 201, with_file.text
    await api.post(f'/tickets/{ticket}/replies', json={'text': 'SECRET-NOTE', 'note': True}, headers=agent_headers)
    for path in (f'/tickets/{ticket}', f'/tickets/{ticket}/messages', '/tickets', '/tickets?queue_id=1',
                 f'/requests/{ticket}/conversations', '/support'):
        seen = await api.get(path, headers=headers)
        assert 'SECRET-NOTE' not in seen.text and 'secret.txt' not in seen.text, path
    [message] = (await api.get(f'/tickets/{ticket}/messages', headers=headers)).json()['items']
    assert message['body'] == 'My order is late'
    attachment = with_file.json()['attachments'][0]['id']
    hidden = await api.get(f'/tickets/{ticket}/files/{attachment}', headers=headers)
    assert hidden.status_code == 404
    assert (await api.get(f'/tickets/{ticket}/files/{attachment}', headers=agent_headers)).content == b'SECRET-NOTE'
    refused = await api.post(f'/tickets/{ticket}/replies', json={'text': 'x', 'note': True}, headers=headers)
    assert refused.status_code == 403 and customer.id


async def private_queue(desk: Desk, admin: UserRow) -> int:
    """A private queue on the Ticket workflow, as an admin adds one for employee requests."""
    workflows = await desk.queues.list_workflows(actor_id=admin.id)
    ticket_flow = next(w for w in workflows if w.name == 'Ticket')
    return await desk.queues.create_queue(actor_id=admin.id, name=unique('HR '), visibility='private',
                                          workflow_id=ticket_flow.id)


async def test_the_employee_requests_story(api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    admin, admin_headers = await signed_in('admin')
    employee, headers = await signed_in()
    _colleague, colleague_headers = await signed_in()
    _agent, agent_headers = await signed_in('agent')
    hr = await private_queue(api_desk, admin)

    filed = await api.post('/tickets', json={'queue_id': hr, 'title': 'New laptop', 'text': 'Mine is 8 years old'},
                           headers=headers)
    assert filed.status_code == 201, filed.text  # the finding: no client could file in a private queue
    ticket = filed.json()
    assert (ticket['queue_id'], ticket['visibility'], ticket['channel'], ticket['author_id'], ticket['status']['kind'],
            ticket['description']) == (hr, 'private', 'api', employee.id, 'open', 'Mine is 8 years old')
    assert (await api.get(f'/tickets/{ticket["id"]}', headers=colleague_headers)).status_code == 404
    assert (await api.get('/tickets', params={'queue_id': hr}, headers=colleague_headers)).json()['items'] == []

    on_behalf = await api.post('/tickets', json={'queue_id': hr, 'title': 'Parking card',
                                                 'customer': employee.username}, headers=agent_headers)
    assert on_behalf.status_code == 201 and on_behalf.json()['author_id'] == employee.id
    active = next(s['id'] for s in ticket['next_statuses'] if s['kind'] == 'active')
    moved = await api.post(f'/tickets/{ticket["id"]}/status', json={'status_id': active}, headers=admin_headers)
    assert moved.status_code == 200 and moved.json()['status']['kind'] == 'active'

    async def ids(headers: dict[str, str], **params: object) -> list[int]:
        response = await api.get('/tickets', params={'queue_id': hr, **params}, headers=headers)
        assert response.status_code == 200, response.text
        return [row['id'] for row in response.json()['items']]

    assert await ids(agent_headers, kind='active') == [ticket['id']]
    assert await ids(agent_headers, kind='open') == [on_behalf.json()['id']]
    assert await ids(agent_headers, search='laptop') == [ticket['id']]
    assert await ids(agent_headers, customer=employee.id, sort='created', order='asc') == \
        [ticket['id'], on_behalf.json()['id']]
    assert await ids(headers) == [ticket['id'], on_behalf.json()['id']]  # the employee's own, last updated first
    counts = (await api.get('/tickets', params={'queue_id': hr}, headers=agent_headers)).json()['counts']
    assert [(c['name'], c['count']) for c in counts] == [('Open', 1), ('In progress', 1), ('Closed', 0)]


async def test_a_customer_lists_their_own_tickets_and_the_board(api: httpx.AsyncClient, api_desk: Desk,
                                                                signed_in: SignIn) -> None:
    customer, headers = await signed_in()
    other = await make_user(api_desk)
    mine = await make_request(api_desk, customer)
    board_other = await make_request(api_desk, other)
    await api.post('/support/messages', json={'text': 'help'}, headers=headers)
    everywhere = (await api.get('/tickets', headers=headers)).json()
    assert board_other not in [row['id'] for row in everywhere['items']]
    assert {row['customer_id'] for row in everywhere['items']} == {customer.id} and len(everywhere['items']) == 2
    board = (await api.get(f'/tickets/{mine}', headers=headers)).json()['queue_id']
    on_board = [row['id'] for row in (await api.get('/tickets', params={'queue_id': board},
                                                    headers=headers)).json()['items']]
    assert on_board[:2] == [board_other, mine]
    other_only = await api.get('/tickets', params={'customer': other.id}, headers=headers)
    assert other_only.json()['items'] == []


async def test_the_cursor_pages_without_gaps_or_duplicates_while_tickets_arrive(
        api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    _customer, headers = await signed_in()
    _agent, agent_headers = await signed_in('agent')
    for sort in ('created', 'updated'):
        customer = await make_user(api_desk)
        ids = [await make_request(api_desk, customer, title=f'Item {n}') for n in range(7)]
        seen: list[int] = []
        cursor = None
        for page_number in range(6):
            params = {'limit': 3, 'customer': customer.id, 'sort': sort, **({'cursor': cursor} if cursor else {})}
            response = await api.get('/tickets', params=params, headers=agent_headers)
            assert response.status_code == 200, response.text
            page = response.json()
            assert (page['counts'] is None) == (cursor is not None)
            seen += [row['id'] for row in page['items']]
            await make_request(api_desk, customer, title=f'Arrived {sort} {page_number}')  # lands above the cursor
            cursor = page['next_cursor']
            if cursor is None:
                break
        assert seen == ids[::-1], sort
    wrong_order = await api.get('/tickets', params={'cursor': cursor or 'x', 'order': 'asc'}, headers=headers)
    assert wrong_order.status_code == 422 and wrong_order.json()['error']['field'] == 'cursor'
