"""Conversations through the API: respond, read, write, staff replies and notes, the support chat, live pages."""

from __future__ import annotations

import httpx
from nicegui.testing import User

from domain.desk import Desk
from tests.api.conftest import SignIn
from tests.factories import make_request
from tests.ui import steps
from ui.components.message_block import MessageBlock


async def test_a_response_starts_a_conversation_both_sides_can_read(api: httpx.AsyncClient, api_desk: Desk,
                                                                    signed_in: SignIn) -> None:
    author, author_headers = await signed_in()
    responder, responder_headers = await signed_in()
    request_id = await make_request(api_desk, author)
    sent = await api.post(f'/requests/{request_id}/conversations', json={'text': ' I can help '},
                          headers=responder_headers)
    assert sent.status_code == 201
    message = sent.json()
    assert (message['body'], message['author_id'], message['kind']) == ('I can help', responder.id, 'text')
    [conversation] = (await api.get(f'/requests/{request_id}/conversations', headers=author_headers)).json()['items']
    assert (conversation['id'], conversation['counterpart_id'], conversation['unread']) == \
        (message['conversation_id'], responder.id, 1)
    answer = await api.post(f'/requests/{request_id}/conversations/{conversation["id"]}/messages',
                            json={'text': 'Great'}, headers=author_headers)
    assert answer.status_code == 201
    thread = await api.get(f'/requests/{request_id}/conversations/{conversation["id"]}/messages',
                           headers=responder_headers)
    assert [m['body'] for m in thread.json()['items']] == ['I can help', 'Great']


async def test_others_see_only_their_own_conversations(api: httpx.AsyncClient, api_desk: Desk,
                                                       signed_in: SignIn) -> None:
    author, _author_headers = await signed_in()
    bob, bob_headers = await signed_in()
    _carol, carol_headers = await signed_in()
    request_id = await make_request(api_desk, author)
    bobs = (await api.post(f'/requests/{request_id}/conversations', json={'text': 'bob'}, headers=bob_headers)).json()
    await api.post(f'/requests/{request_id}/conversations', json={'text': 'carol'}, headers=carol_headers)
    mine = (await api.get(f'/requests/{request_id}/conversations', headers=bob_headers)).json()['items']
    assert [c['counterpart_id'] for c in mine] == [bob.id]
    peek = await api.get(f'/requests/{request_id}/conversations/{bobs["conversation_id"]}/messages',
                         headers=carol_headers)
    assert peek.status_code == 404
    intrude = await api.post(f'/requests/{request_id}/conversations/{bobs["conversation_id"]}/messages',
                             json={'text': 'me too'}, headers=carol_headers)
    assert intrude.status_code == 404


async def test_messages_page_from_the_first_with_a_cursor(api: httpx.AsyncClient, api_desk: Desk,
                                                          signed_in: SignIn) -> None:
    author, headers = await signed_in()
    responder, _responder_headers = await signed_in()
    request_id = await make_request(api_desk, author)
    first = await api_desk.conversations.post(actor_id=responder.id, request_id=request_id, text='m0')
    for n in range(1, 5):
        await api_desk.conversations.post(actor_id=responder.id, request_id=request_id, text=f'm{n}',
                                          conversation_id=first.conversation_id)
    url = f'/requests/{request_id}/conversations/{first.conversation_id}/messages'
    page = (await api.get(url, params={'limit': 2}, headers=headers)).json()
    bodies = [m['body'] for m in page['items']]
    while page['next_cursor']:
        page = (await api.get(url, params={'limit': 2, 'cursor': page['next_cursor']}, headers=headers)).json()
        bodies += [m['body'] for m in page['items']]
    assert bodies == ['m0', 'm1', 'm2', 'm3', 'm4']


async def test_own_requests_and_support_tickets_are_not_responded_to_here(api: httpx.AsyncClient, api_desk: Desk,
                                                                          signed_in: SignIn) -> None:
    author, headers = await signed_in()
    _agent, agent_headers = await signed_in('agent')
    request_id = await make_request(api_desk, author)
    own = await api.post(f'/requests/{request_id}/conversations', json={'text': 'me'}, headers=headers)
    assert own.status_code == 403
    await api_desk.support.write(actor_id=author.id, text='help')
    ticket_id = (await api_desk.support.chat(viewer_id=author.id)).open_ticket_id
    ticket = await api.post(f'/requests/{ticket_id}/conversations', json={'text': 'hi'}, headers=agent_headers)
    assert ticket.status_code == 403
    empty = await api.post(f'/requests/{request_id}/conversations', json={'text': '  '}, headers=agent_headers)
    assert empty.status_code == 422 and empty.json()['error']['field'] == 'text'  # the schema says: not blank


async def test_staff_reply_to_tickets_and_notes_stay_among_staff(api: httpx.AsyncClient, api_desk: Desk,
                                                                 signed_in: SignIn) -> None:
    _customer, headers = await signed_in()
    agent, agent_headers = await signed_in('agent')
    written = await api.post('/support/messages', json={'text': 'My order is late'}, headers=headers)
    assert written.status_code == 201
    chat = (await api.get('/support', headers=headers)).json()
    ticket_id = chat['open_ticket_id']
    assert [m['body'] for m in chat['tickets'][-1]['messages']] == ['My order is late']
    refused = await api.post(f'/requests/{ticket_id}/replies', json={'text': 'hm'}, headers=headers)
    assert refused.status_code == 403
    note = await api.post(f'/requests/{ticket_id}/replies', json={'text': 'VIP', 'note': True}, headers=agent_headers)
    assert note.status_code == 201 and note.json()['kind'] == 'note'
    reply = await api.post(f'/requests/{ticket_id}/replies', json={'text': 'On its way'}, headers=agent_headers)
    assert reply.status_code == 201
    assert (await api.get(f'/requests/{ticket_id}', headers=headers)).json()['assignee_id'] == agent.id
    url = f'/requests/{ticket_id}/conversations/{written.json()["conversation_id"]}/messages'
    seen_by_customer = [m['body'] for m in (await api.get(url, headers=headers)).json()['items']]
    seen_by_staff = [m['body'] for m in (await api.get(url, headers=agent_headers)).json()['items']]
    assert seen_by_customer == ['My order is late', 'On its way']
    assert seen_by_staff == ['My order is late', 'VIP', 'On its way']


async def test_a_message_posted_through_the_api_appears_on_an_open_page(user: User, api: httpx.AsyncClient,
                                                                        api_desk: Desk, signed_in: SignIn) -> None:
    author = await steps.signed_in(user, api_desk)
    responder, responder_headers = await signed_in()
    request_id = await make_request(api_desk, author)
    first = await api.post(f'/requests/{request_id}/conversations', json={'text': 'first, by api'},
                           headers=responder_headers)
    await user.open(f'/requests/{request_id}')
    await user.should_see(marker=f'response-from-{responder.id}')
    user.find(marker=f'response-from-{responder.id}').click()
    await user.should_see(kind=MessageBlock, content='first, by api')
    await api.post(f'/requests/{request_id}/conversations/{first.json()["conversation_id"]}/messages',
                   json={'text': 'second, live'}, headers=responder_headers)
    await user.should_see(kind=MessageBlock, content='second, live')
