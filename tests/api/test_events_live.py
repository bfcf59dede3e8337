"""Live events over real HTTP: an agent and a customer watch one conversation through SSE and the WebSocket, and a
customer's stream never carries another customer's ticket nor any internal note."""

from __future__ import annotations

import aiohttp
import httpx
import pytest

from domain.desk import Desk
from tests.api.conftest import SignIn
from tests.api.events_client import SocketReader, SseReader, eventually, http, served
from tests.factories import make_request, make_user

__all__ = ['http', 'served']  # fixtures


async def _open(transport: str, session: aiohttp.ClientSession, base: str, headers: dict[str, str],
                query: str = '') -> SseReader | SocketReader:
    if transport == 'sse':
        return await SseReader.open(session, f'{base}/api/v1/events{query}', headers=headers)
    return await SocketReader.open(session, f'{base}/api/v1/events/ws{query}', headers=headers)


@pytest.mark.parametrize('transport', ['sse', 'ws'])
async def test_an_agent_and_a_customer_see_a_conversation_live(
        transport: str, api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn, served: str,
        http: aiohttp.ClientSession) -> None:
    agent, agent_headers = await signed_in('agent')
    customer, customer_headers = await signed_in('customer')
    other, _ = await signed_in('customer')
    agent_stream = await _open(transport, http, served, agent_headers)
    customer_stream = await _open(transport, http, served, customer_headers)

    await api_desk.support.write(actor_id=customer.id, text='My parcel is lost')
    await eventually(lambda: 'message.posted' in agent_stream.kinds())
    ticket_id = agent_stream.events[0]['ticket_id']
    await api_desk.support.write(actor_id=other.id, text='Someone else entirely')  # another customer's ticket
    answer = await api.post(f'/tickets/{ticket_id}/replies', json={'text': 'Looking into it'}, headers=agent_headers)
    assert answer.status_code == 201
    note = await api.post(f'/tickets/{ticket_id}/replies', json={'text': 'Courier is slow', 'note': True},
                          headers=agent_headers)
    assert note.status_code == 201
    closed = await _status_named(api, agent_headers, ticket_id, 'Closed')
    assert (await api.post(f'/tickets/{ticket_id}/status', json={'status_id': closed},
                           headers=agent_headers)).status_code == 200

    await eventually(lambda: 'status.changed' in customer_stream.kinds())
    await eventually(lambda: agent_stream.kinds().count('status.changed') >= 1)
    mine = customer_stream.events
    assert {event['ticket_id'] for event in mine} == {ticket_id}  # never the other customer's
    assert [event['kind'] for event in mine] == ['ticket.created', 'message.posted', 'ticket.assigned',
                                                 'message.posted', 'status.changed']
    assert [event['data'].get('text') for event in mine if event['kind'] == 'message.posted'] == \
        ['My parcel is lost', 'Looking into it']
    assert 'Courier is slow' not in str(mine)
    assert mine[0]['actor'] == {'id': customer.id, 'username': customer.username}
    assert mine[2]['data'] == {'from': None, 'to': agent.display_name}
    assert mine[-1]['data'] == {'from': 'Open', 'to': 'Closed'}
    ids = [event['id'] for event in mine]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)

    seen_by_agent = [event for event in agent_stream.events if event['ticket_id'] == ticket_id]
    assert [event['kind'] for event in seen_by_agent] == ['ticket.created', 'message.posted', 'ticket.assigned',
                                                          'message.posted', 'note.added', 'status.changed']
    assert seen_by_agent[4]['data']['text'] == 'Courier is slow'
    assert len({event['ticket_id'] for event in agent_stream.events}) == 2  # staff see the other ticket too
    if isinstance(agent_stream, SseReader):
        assert agent_stream.ids == [str(event['id']) for event in agent_stream.events]
    await agent_stream.close()
    await customer_stream.close()


async def test_a_public_request_shows_to_every_reader_but_a_response_only_to_its_two_people(
        api_desk: Desk, signed_in: SignIn, served: str, http: aiohttp.ClientSession) -> None:
    author, author_headers = await signed_in('customer')
    responder, responder_headers = await signed_in('customer')
    _bystander, bystander_headers = await signed_in('customer')
    streams = [await SseReader.open(http, f'{served}/api/v1/events', headers=headers)
               for headers in (author_headers, responder_headers, bystander_headers)]
    request_id = await make_request(api_desk, author)
    await api_desk.conversations.post(actor_id=responder.id, request_id=request_id, text='I can help')
    await eventually(lambda: all('ticket.created' in stream.kinds() for stream in streams))
    await eventually(lambda: all('message.posted' in stream.kinds() for stream in streams[:2]))
    marker = await make_request(api_desk, author)  # anything after the response reaches the bystander too
    await eventually(lambda: [event['ticket_id'] for event in streams[2].events][-1:] == [marker])
    assert streams[2].kinds() == ['ticket.created', 'ticket.created']
    assert streams[0].events[1]['data']['text'] == streams[1].events[1]['data']['text'] == 'I can help'
    for stream in streams:
        await stream.close()


async def test_a_stream_narrowed_to_a_ticket_or_a_queue_carries_only_that(
        api_desk: Desk, signed_in: SignIn, served: str, http: aiohttp.ClientSession) -> None:
    admin, headers = await signed_in('admin')
    author = await make_user(api_desk)
    first, second = await make_request(api_desk, author), await make_request(api_desk, author)
    by_ticket = await SseReader.open(http, f'{served}/api/v1/events?ticket_id={second}', headers=headers)
    board = (await api_desk.requests.board()).id
    by_queue = await SseReader.open(http, f'{served}/api/v1/events?queue_id={board}', headers=headers)
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:  # a plain HTTP answer, before any upgrade
        await SocketReader.open(http, f'{served}/api/v1/events/ws?queue_id={board + 1000}', headers=headers)
    assert refused.value.status == 404
    await api_desk.conversations.post(actor_id=admin.id, request_id=first, text='on the first')
    await api_desk.conversations.post(actor_id=admin.id, request_id=second, text='on the second')
    await api_desk.support.write(actor_id=author.id, text='support, not the board')
    await eventually(lambda: len(by_queue.events) == 2)
    assert [event['data']['text'] for event in by_queue.events] == ['on the first', 'on the second']
    await eventually(lambda: len(by_ticket.events) == 1)
    assert by_ticket.events[0]['ticket_id'] == second
    for stream in (by_ticket, by_queue):
        await stream.close()


async def _status_named(api: httpx.AsyncClient, headers: dict[str, str], ticket_id: int, name: str) -> int:
    ticket = (await api.get(f'/tickets/{ticket_id}', headers=headers)).json()
    for status in ticket['next_statuses']:
        if status['name'] == name:
            return int(status['id'])
    raise AssertionError(f'no status {name} in {ticket}')


async def test_the_stream_is_documented_with_its_websocket_and_its_refusals(api: httpx.AsyncClient) -> None:
    document = (await api.get('http://test/openapi.json')).json()
    operation = document['paths']['/api/v1/events']['get']
    assert operation['summary'] == 'Stream the events you may see (Server-Sent Events)'
    assert 'text/event-stream' in operation['responses']['200']['content']
    assert '/api/v1/events/ws' in operation['description'] and 'Last-Event-ID' in operation['description']
    for status in ('401', '404', '422'):
        assert 'example' in operation['responses'][status]['content']['application/json'], status
    assert {parameter['name'] for parameter in operation['parameters']} == {
        'access_token', 'Last-Event-ID', 'last_event_id', 'queue_id', 'ticket_id'}
    assert operation['security'] == [{'HTTPBearer': []}]
