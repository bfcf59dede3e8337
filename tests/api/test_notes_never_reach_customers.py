"""Internal notes stay among staff: no field, count, preview, badge or listing tells a customer of one."""

from __future__ import annotations

import httpx
from nicegui.testing import User

from domain.desk import Desk
from tests.api.conftest import SignIn
from tests.factories import make_request
from tests.ui import steps


async def test_a_note_on_a_ticket_is_not_the_customers_last_message_or_count(api: httpx.AsyncClient, api_desk: Desk,
                                                                            signed_in: SignIn) -> None:
    _customer, headers = await signed_in()
    _agent, agent_headers = await signed_in('agent')
    await api.post('/support/messages', json={'text': 'My order is late'}, headers=headers)
    ticket_id = (await api.get('/support', headers=headers)).json()['open_ticket_id']
    await api.post(f'/requests/{ticket_id}/replies', json={'text': 'SECRET-NOTE', 'note': True},
                   headers=agent_headers)
    listed = await api.get(f'/requests/{ticket_id}/conversations', headers=headers)
    assert 'SECRET-NOTE' not in listed.text
    [conversation] = listed.json()['items']
    assert (conversation['last_message'], conversation['message_count'], conversation['unread']) == \
        ('My order is late', 1, 0)
    chat = await api.get('/support', headers=headers)
    assert 'SECRET-NOTE' not in chat.text


async def test_a_note_on_a_public_request_shows_its_author_no_conversation(api: httpx.AsyncClient, api_desk: Desk,
                                                                          signed_in: SignIn) -> None:
    author, headers = await signed_in()
    _agent, agent_headers = await signed_in('agent')
    request_id = await make_request(api_desk, author)
    noted = await api.post(f'/requests/{request_id}/replies', json={'text': 'SECRET-NOTE', 'note': True},
                           headers=agent_headers)
    assert noted.status_code == 201
    listed = await api.get(f'/requests/{request_id}/conversations', headers=headers)
    assert listed.json()['items'] == []
    assert 'SECRET-NOTE' not in (await api.get(f'/requests/{request_id}', headers=headers)).text
    staff_view = (await api.get(f'/requests/{request_id}/conversations', headers=agent_headers)).json()['items']
    assert len(staff_view) == 1


async def test_the_author_of_a_public_request_sees_no_response_for_a_staff_note(user: User, api: httpx.AsyncClient,
                                                                               api_desk: Desk,
                                                                               signed_in: SignIn) -> None:
    author = await steps.signed_in(user, api_desk)
    _agent, agent_headers = await signed_in('agent')
    request_id = await make_request(api_desk, author)
    await api.post(f'/requests/{request_id}/replies', json={'text': 'SECRET-NOTE', 'note': True},
                   headers=agent_headers)
    await user.open(f'/requests/{request_id}')
    await user.should_see('Responses (0)')
    await user.should_not_see('SECRET-NOTE')
