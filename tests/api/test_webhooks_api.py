"""Webhooks through the API: register, see deliveries arrive and page through the log, resend, the page's messages,
the SSRF refusals, and admins only on every operation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import httpx
import pytest

from api.schemas_webhooks import WebhookEvent
from domain.desk import Desk
from domain.webhooks.payload import WEBHOOK_EVENTS
from tests.api.conftest import SignIn
from tests.domain.webhook_steps import SECRET, verifier
from tests.factories import make_request, make_user
from tests.fakes.webhook_receiver import Receiver
from tests.ui.steps import eventually


@pytest.fixture
def app_env(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv('WEBHOOKS_ALLOW_PRIVATE', 'true')  # the receiver is on 127.0.0.1
    return app_env


async def test_an_admin_registers_an_endpoint_and_reads_its_delivery_log_page_by_page(
        api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn, receiver: Receiver) -> None:
    admin, headers = await signed_in('admin')
    created = await api.post('/webhooks', json={'url': receiver.url, 'events': ['ticket.created'], 'secret': SECRET},
                             headers=headers)
    assert created.status_code == 201, created.text
    hook = created.json()
    assert hook['events'] == ['ticket.created'] and hook['enabled'] and hook['failures'] == 0
    author = await make_user(api_desk)
    ids = [await make_request(api_desk, author) for _ in range(3)]
    await eventually(lambda: len(receiver.received) == 3, within=10)

    async def all_delivered() -> bool:  # recorded once each answer is in
        rows = (await api_desk.webhooks.deliveries(actor_id=admin.id, endpoint_id=hook['id'])).rows
        return {row.status for row in rows} == {'delivered'}

    await eventually(all_delivered, within=10)
    verify = verifier()
    assert all(verify(SECRET, post.body, post.signature) for post in receiver.received)
    assert sorted(json.loads(post.body)['ticket']['id'] for post in receiver.received) == ids

    first = (await api.get(f'/webhooks/{hook["id"]}/deliveries', params={'limit': 2}, headers=headers)).json()
    rest = (await api.get(f'/webhooks/{hook["id"]}/deliveries', params={'limit': 2, 'cursor': first['next_cursor']},
                          headers=headers)).json()
    rows = first['items'] + rest['items']
    assert rest['next_cursor'] is None and len(rows) == 3
    assert [row['payload']['ticket']['id'] for row in rows] == ids[::-1]  # newest first
    assert {row['status'] for row in rows} == {'delivered'} and {row['response_code'] for row in rows} == {200}
    assert sorted(row['delivery_id'] for row in rows) == sorted(post.delivery for post in receiver.received)

    resent = await api.post(f'/webhooks/{hook["id"]}/deliveries/{rows[0]["id"]}/resend', headers=headers)
    assert resent.status_code == 202, resent.text
    await eventually(lambda: len(receiver.received) == 4, within=10)
    assert receiver.received[-1].delivery == rows[0]['delivery_id']


async def test_the_api_gives_the_pages_messages(api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    api_desk.webhooks.configure(allow_private=False, disable_after=10)  # as the setting is by default
    cases = [
        ({'url': 'http://127.0.0.1:9000/x', 'events': ['note.added']},
         'Webhooks may not go to a loopback address (127.0.0.1).', 'url'),
        ({'url': 'http://169.254.169.254/', 'events': ['note.added']},
         'Webhooks may not go to a link-local address (169.254.169.254).', 'url'),
        ({'url': 'file:///etc/passwd', 'events': ['note.added']}, 'Webhook URLs start with http:// or https://.',
         'url'),
        ({'url': 'https://93.184.216.34/x', 'events': []}, 'Choose at least one event.', 'events'),
        ({'url': 'https://93.184.216.34/x', 'events': ['note.added'], 'secret': 'short'},
         'The secret needs 16 to 128 letters, digits or punctuation marks, without spaces.', 'secret'),
    ]
    for body, message, field in cases:
        answer = await api.post('/webhooks', json=body, headers=headers)
        assert answer.status_code == 422, answer.text
        assert answer.json() == {'error': {'code': 'invalid_input', 'message': message, 'field': field}}
    unknown = await api.post('/webhooks', json={'url': 'https://93.184.216.34/x', 'events': ['assigned']},
                             headers=headers)  # the event log's name, not the webhooks' (ticket.assigned)
    assert unknown.status_code == 422 and unknown.json()['error']['field'].startswith('events')
    assert (await api.get('/webhooks', headers=headers)).json() == {'items': [], 'next_cursor': None}
    assert get_args(WebhookEvent) == WEBHOOK_EVENTS  # the schema lists the domain's events


async def test_patch_switches_an_endpoint_off_and_delete_removes_it(api: httpx.AsyncClient, signed_in: SignIn,
                                                                    receiver: Receiver) -> None:
    _admin, headers = await signed_in('admin')
    hook = (await api.post('/webhooks', json={'url': receiver.url, 'events': ['note.added']},
                           headers=headers)).json()
    assert hook['secret'].startswith('whsec_')
    changed = await api.patch(f'/webhooks/{hook["id"]}', json={'enabled': False, 'events': ['ticket.assigned']},
                              headers=headers)
    assert changed.status_code == 200, changed.text
    assert not changed.json()['enabled'] and changed.json()['events'] == ['ticket.assigned']
    assert (await api.get(f'/webhooks/{hook["id"]}', headers=headers)).json() == changed.json()
    assert (await api.delete(f'/webhooks/{hook["id"]}', headers=headers)).status_code == 204
    gone = await api.get(f'/webhooks/{hook["id"]}', headers=headers)
    assert gone.status_code == 404 and gone.json()['error']['message'] == 'This webhook endpoint does not exist.'


@pytest.mark.parametrize('role', ['customer', 'agent'])
async def test_only_admins_may_use_any_webhook_operation(api: httpx.AsyncClient, signed_in: SignIn,
                                                         receiver: Receiver, role: str) -> None:
    _admin, admin_headers = await signed_in('admin')
    hook = (await api.post('/webhooks', json={'url': receiver.url, 'events': ['note.added']},
                           headers=admin_headers)).json()
    _someone, headers = await signed_in(role)
    calls = [('GET', '/webhooks', None), ('POST', '/webhooks', {'url': receiver.url, 'events': ['note.added']}),
             ('GET', f'/webhooks/{hook["id"]}', None), ('PATCH', f'/webhooks/{hook["id"]}', {'enabled': False}),
             ('DELETE', f'/webhooks/{hook["id"]}', None), ('GET', f'/webhooks/{hook["id"]}/deliveries', None),
             ('POST', f'/webhooks/{hook["id"]}/deliveries/1/resend', None)]
    for method, path, body in calls:
        answer = await api.request(method, path, json=body, headers=headers)
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()['error']['message'] == 'Only admins manage webhooks.'
        assert (await api.request(method, path, json=body)).status_code == 401
    assert (await api.get(f'/webhooks/{hook["id"]}', headers=admin_headers)).json()['enabled']
