"""Who may open a stream and for how long: bad tokens and ids are refused with a reason; a deactivated user's stream
ends with an error event (SSE) or close code 4401 (WebSocket); a demoted agent stops receiving notes at once."""

from __future__ import annotations

import aiohttp
import pytest

from domain.desk import Desk
from tests.api.conftest import SignIn
from tests.api.events_client import SocketReader, SseReader, eventually, http, served, support_ticket
from tests.factories import make_request, make_user

__all__ = ['http', 'served']  # fixtures


async def _error(response: aiohttp.ClientResponse) -> dict[str, str]:
    return (await response.json())['error']


async def test_a_stream_without_a_valid_token_is_refused_with_a_reason(
        served: str, http: aiohttp.ClientSession, signed_in: SignIn) -> None:
    url = f'{served}/api/v1/events'
    async with http.get(url) as response:
        assert response.status == 401
        assert (await _error(response))['message'] == 'Sign in first: send an access token.'
    async with http.get(url, headers={'Authorization': 'Bearer forged'}) as response:
        assert response.status == 401 and response.headers['WWW-Authenticate'] == 'Bearer'
        assert (await _error(response))['code'] == 'not_signed_in'
    async with http.get(url, params={'access_token': 'forged'}) as response:
        assert response.status == 401
    _user, headers = await signed_in('customer')
    async with http.get(url, params={'access_token': headers['Authorization'][7:]}) as response:
        assert response.status == 200  # a browser's EventSource sends no headers: the query token works


async def test_a_bad_last_event_id_or_an_unreadable_ticket_is_refused(
        api_desk: Desk, served: str, http: aiohttp.ClientSession, signed_in: SignIn) -> None:
    _user, headers = await signed_in('customer')
    url = f'{served}/api/v1/events'
    for bad in ('abc', '-1', '1.5'):
        async with http.get(url, headers={**headers, 'Last-Event-ID': bad}) as response:
            assert response.status == 422
            assert (await _error(response))['field'] == 'Last-Event-ID'
    async with http.get(url, headers={**headers, 'Last-Event-ID': '999999999'}) as response:
        assert response.status == 422
        assert await _error(response) == {'code': 'invalid_input', 'message': 'This event id is newer than any event.',
                                          'field': 'Last-Event-ID'}
    someone_else = await make_user(api_desk)
    private = await support_ticket(api_desk, someone_else.id, 'mine alone')
    async with http.get(url, headers=headers, params={'ticket_id': private}) as response:
        assert response.status == 404  # as if it did not exist


async def test_a_websocket_refuses_a_bad_token_in_the_header_or_the_first_message(
        served: str, http: aiohttp.ClientSession, signed_in: SignIn) -> None:
    url = f'{served}/api/v1/events/ws'
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await SocketReader.open(http, url, headers={'Authorization': 'Bearer forged'})
    assert refused.value.status == 401
    socket = await SocketReader.open(http, url, first={'access_token': 'forged'})
    await eventually(lambda: socket.ended)
    assert (socket.close_code, socket.close_reason) == (4401, 'Your session has ended. Sign in again to continue.')
    socket = await SocketReader.open(http, url, first={'hello': 'there'})
    await eventually(lambda: socket.ended)
    assert socket.close_code == 4401 and 'access_token' in socket.close_reason
    _user, headers = await signed_in('customer')
    socket = await SocketReader.open(http, url, first={'access_token': headers['Authorization'][7:],
                                                      'last_event_id': 'soon'})
    await eventually(lambda: socket.ended)
    assert socket.close_code == 4422


@pytest.mark.parametrize('transport', ['sse', 'ws'])
async def test_deactivating_a_user_ends_their_stream(
        transport: str, api_desk: Desk, served: str, http: aiohttp.ClientSession, signed_in: SignIn) -> None:
    admin, _ = await signed_in('admin')
    user, headers = await signed_in('customer')
    if transport == 'sse':
        stream: SseReader | SocketReader = await SseReader.open(http, f'{served}/api/v1/events', headers=headers)
    else:
        # From the id the client knows, as a browser's first message says it: nothing between its connecting and
        # the server reading that message is then missed (the SSE case is open once its headers arrive).
        stream = await SocketReader.open(http, f'{served}/api/v1/events/ws', first={
            'access_token': headers['Authorization'][7:], 'last_event_id': await api_desk.stream.last_id()})
    await make_request(api_desk, user)
    await eventually(lambda: len(stream.events) == 1)
    await api_desk.users.set_active(actor_id=admin.id, user_id=user.id, active=False)
    await eventually(lambda: stream.ended)
    assert stream.errors == [{'error': {'code': 'not_signed_in',
                                        'message': 'Your session has ended. Sign in again to continue.'}}]
    if isinstance(stream, SocketReader):
        assert stream.close_code == 4401
    assert len(stream.events) == 1


async def test_an_agent_made_a_customer_stops_receiving_notes_at_once(
        api_desk: Desk, served: str, http: aiohttp.ClientSession, signed_in: SignIn) -> None:
    admin, _ = await signed_in('admin')
    agent, headers = await signed_in('agent')
    customer = await make_user(api_desk)
    ticket_id = await support_ticket(api_desk, customer.id, 'hello')
    stream = await SseReader.open(http, f'{served}/api/v1/events', headers=headers)
    await api_desk.tickets.reply(actor_id=admin.id, request_id=ticket_id, text='before', note=True)
    await eventually(lambda: stream.kinds() == ['note.added'])
    await api_desk.users.set_role(actor_id=admin.id, user_id=agent.id, role='customer')
    await api_desk.tickets.reply(actor_id=admin.id, request_id=ticket_id, text='after', note=True)
    await api_desk.tickets.reply(actor_id=admin.id, request_id=ticket_id, text='an answer')
    marker = await make_request(api_desk, customer)  # a public request: a customer sees it
    await eventually(lambda: len(stream.events) >= 2)
    assert [(event['kind'], event['ticket_id']) for event in stream.events] == [('note.added', ticket_id),
                                                                               ('ticket.created', marker)]
    await stream.close()


@pytest.mark.parametrize('transport', ['sse', 'ws'])
async def test_a_stream_whose_reads_fail_ends_with_a_reason_to_reconnect(
        transport: str, api_desk: Desk, served: str, http: aiohttp.ClientSession, signed_in: SignIn,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    _user, headers = await signed_in('customer')

    async def unreachable(*_args: object) -> list[object]:
        raise ConnectionError('the database is away')  # as a read fails while PostgreSQL restarts

    monkeypatch.setattr(api_desk.stream, '_rows', unreachable)  # the replay's reads
    if transport == 'sse':
        stream: SseReader | SocketReader = await SseReader.open(http, f'{served}/api/v1/events', headers=headers)
    else:
        stream = await SocketReader.open(http, f'{served}/api/v1/events/ws', headers=headers)
    await eventually(lambda: stream.ended)
    if isinstance(stream, SseReader):
        assert [error['error']['code'] for error in stream.errors] == ['unavailable']
    else:
        assert stream.close_code == 1011 and 'last event id' in stream.close_reason
    assert 'an event stream failed' in caplog.text  # a warning, not an unhandled error
