"""Rules through the API: the Telegram desk story in one call, the page's messages, order, switches, who may do what."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from domain.desk import Desk
from tests.api.conftest import SignIn
from tests.domain.rule_steps import from_telegram, record
from tests.factories import make_user, unique


def telegram_rule(agent: str | int, chat: str = '1234567') -> dict[str, Any]:
    return {'name': unique('Telegram chat to agent '), 'trigger': 'request.created',
            'conditions': [{'field': 'telegram_chat', 'op': 'is', 'value': chat}],
            'actions': [{'type': 'assign', 'user': agent}]}


async def test_tickets_from_a_telegram_chat_go_to_the_agent_named_in_one_call(
        api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    agent = await make_user(api_desk, role='agent')
    created = await api.post('/rules', json=telegram_rule(agent.username), headers=headers)
    assert created.status_code == 201, created.text
    rule = created.json()
    assert rule['conditions'] == [{'field': 'telegram_chat', 'op': 'is', 'value': '1234567'}]
    assert rule['actions'] == [{'type': 'assign', 'user': {'id': agent.id, 'username': agent.username}}]
    assert rule['enabled'] and rule['trigger'] == 'request.created'
    ours, theirs = await from_telegram(api_desk, 1234567), await from_telegram(api_desk, 7654321)
    await api_desk.worker.drain()
    assert (await record(api_desk, ours)).assignee_id == agent.id
    assert (await record(api_desk, theirs)).assignee_id is None


async def test_users_are_named_by_id_or_username_and_shown_with_both(api: httpx.AsyncClient, api_desk: Desk,
                                                                     signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    one, two = await make_user(api_desk, role='agent'), await make_user(api_desk, role='agent')
    customer = await make_user(api_desk)
    body = {'name': 'Both ways', 'trigger': 'message.received',
            'conditions': [{'field': 'customer', 'op': 'is', 'value': customer.id},
                           {'field': 'assignee', 'op': 'is', 'value': None}],
            'actions': [{'type': 'assign_round_robin', 'users': [one.id, two.username.upper()]},
                        {'type': 'note', 'text': 'Picked up'}]}
    rule = (await api.post('/rules', json=body, headers=headers)).json()
    assert rule['conditions'] == [
        {'field': 'customer', 'op': 'is', 'value': {'id': customer.id, 'username': customer.username}},
        {'field': 'assignee', 'op': 'is', 'value': None}]
    assert rule['actions'] == [
        {'type': 'assign_round_robin', 'users': sorted([{'id': one.id, 'username': one.username},
                                                        {'id': two.id, 'username': two.username}],
                                                       key=lambda user: user['id'])},
        {'type': 'note', 'text': 'Picked up'}]
    assert (await api.get(f'/rules/{rule["id"]}', headers=headers)).json() == rule


@pytest.mark.parametrize(('change', 'field', 'message'), [
    ({'actions': [{'type': 'assign', 'user': 'nobody.here'}]}, 'action-0', 'Choose an active agent.'),
    ({'conditions': [{'field': 'customer', 'op': 'is', 'value': 'nobody.here'}]}, 'condition-0',
     'There is no user with this id.'),
    ({'conditions': [{'field': 'queue', 'op': 'is', 'value': 999_999}]}, 'condition-0', 'Choose a queue.'),
    ({'conditions': [{'field': 'status', 'op': 'in', 'value': ['Sleeping']}]}, 'condition-0',
     'There is no status "Sleeping" here.'),
    ({'trigger': 'time_in_status'}, 'conditions', 'A time-in-status rule needs one duration.'),
    ({'actions': [{'type': 'set_status', 'status': 'Sleeping'}]}, 'action-0', 'There is no status "Sleeping" here.'),
    ({'actions': [{'type': 'email', 'to': 'not an address'}]}, 'action-0',
     'Enter an email address, or choose the author or the assignee.'),
    ({'actions': []}, 'actions', 'actions: List should have at least 1 item after validation, not 0'),
    ({'name': '   '}, 'name', 'Enter a name.'),
    ({'conditions': [{'field': 'telegram_chat', 'op': 'is', 'value': 'chat one'}]}, 'condition-0',
     'A Telegram chat id is a number.'),
    ({'conditions': [{'field': 'title', 'op': 'contains', 'value': ' '}]}, 'condition-0',
     'Enter the text to look for (at most 200 characters).'),
    ({'conditions': [{'field': 'colour', 'op': 'is', 'value': 'red'}]}, 'conditions.0', None),
])
async def test_a_rule_that_cannot_work_is_refused_with_the_pages_message(
        api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn, change: dict[str, Any], field: str,
        message: str | None) -> None:
    _admin, headers = await signed_in('admin')
    agent = await make_user(api_desk, role='agent')
    refused = await api.post('/rules', json=telegram_rule(agent.id) | change, headers=headers)
    assert refused.status_code == 422, refused.text
    error = refused.json()['error']
    assert error['code'] == 'invalid_input' and error['field'] == field
    if message is not None:
        assert error['message'] == message


async def test_a_patch_changes_what_it_names_and_keeps_the_rest(api: httpx.AsyncClient, api_desk: Desk,
                                                                signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    one, two = await make_user(api_desk, role='agent'), await make_user(api_desk, role='agent')
    rule = (await api.post('/rules', json=telegram_rule(one.username), headers=headers)).json()
    patched = await api.patch(f'/rules/{rule["id"]}', json={'actions': [{'type': 'assign', 'user': two.id}]},
                              headers=headers)
    assert patched.status_code == 200
    assert patched.json()['actions'] == [{'type': 'assign', 'user': {'id': two.id, 'username': two.username}}]
    assert patched.json()['conditions'] == rule['conditions'] and patched.json()['name'] == rule['name']
    refused = await api.patch(f'/rules/{rule["id"]}', json={'name': None}, headers=headers)
    assert refused.status_code == 422 and refused.json()['error']['field'] == 'name'
    missing = await api.patch('/rules/999999', json={'name': 'x'}, headers=headers)
    assert missing.status_code == 404
    assert missing.json()['error']['message'] == 'This rule does not exist any more.'


async def test_rules_switch_off_and_on_and_are_deleted(api: httpx.AsyncClient, api_desk: Desk,
                                                       signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    rule = (await api.post('/rules', json=telegram_rule((await make_user(api_desk, role='agent')).id),
                           headers=headers)).json()
    assert (await api.post(f'/rules/{rule["id"]}/disable', headers=headers)).json()['enabled'] is False
    assert (await api.post(f'/rules/{rule["id"]}/enable', headers=headers)).json()['enabled'] is True
    assert (await api.patch(f'/rules/{rule["id"]}', json={'enabled': False}, headers=headers)).json()['enabled'] \
        is False
    assert (await api.delete(f'/rules/{rule["id"]}', headers=headers)).status_code == 204
    assert (await api.get(f'/rules/{rule["id"]}', headers=headers)).status_code == 404


async def test_the_list_runs_in_order_and_takes_a_whole_new_order(api: httpx.AsyncClient, api_desk: Desk,
                                                                   signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    agent = await make_user(api_desk, role='agent')
    for chat in ('1', '2', '3'):
        await api.post('/rules', json=telegram_rule(agent.id, chat), headers=headers)
    ids = [rule['id'] for rule in (await api.get('/rules', headers=headers)).json()['items']]
    assert (await api.post('/rules/order', json={'rule_ids': ids[::-1]}, headers=headers)).status_code == 204
    listed = (await api.get('/rules', headers=headers)).json()['items']
    assert [rule['id'] for rule in listed] == ids[::-1]
    assert [rule['position'] for rule in listed] == list(range(1, len(ids) + 1))
    paged, cursor = [], None
    while True:
        page = (await api.get('/rules', params={'limit': 2} | ({'cursor': cursor} if cursor else {}),
                              headers=headers)).json()
        paged += [rule['id'] for rule in page['items']]
        if (cursor := page['next_cursor']) is None:
            break
    assert paged == ids[::-1]
    partial = await api.post('/rules/order', json={'rule_ids': ids[:2]}, headers=headers)
    assert partial.status_code == 422
    assert partial.json()['error'] == {'code': 'invalid_input', 'field': 'rule_ids',
                                       'message': 'List every rule once, in the order they should run.'}


# (method, path, body); {id} is an existing rule.
OPERATIONS = [('GET', '/rules', None), ('POST', '/rules', 'rule'), ('POST', '/rules/order', 'order'),
              ('GET', '/rules/{id}', None), ('PATCH', '/rules/{id}', {'name': 'Renamed'}),
              ('POST', '/rules/{id}/enable', None), ('POST', '/rules/{id}/disable', None),
              ('DELETE', '/rules/{id}', None)]
READS = {('GET', '/rules'), ('GET', '/rules/{id}')}
CREATED = {('POST', '/rules'): 201, ('POST', '/rules/order'): 204, ('DELETE', '/rules/{id}'): 204}


@pytest.mark.parametrize('role', ['visitor', 'customer', 'agent', 'admin'])
@pytest.mark.parametrize(('method', 'path', 'body'), OPERATIONS)
async def test_who_may_do_what(api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn, role: str, method: str,
                               path: str, body: Any) -> None:
    _admin, admin_headers = await signed_in('admin')
    agent = await make_user(api_desk, role='agent')
    rule = (await api.post('/rules', json=telegram_rule(agent.id), headers=admin_headers)).json()
    headers = {} if role == 'visitor' else (await signed_in(role))[1]
    if body == 'rule':
        body = telegram_rule(agent.username)
    elif body == 'order':
        body = {'rule_ids': [r['id'] for r in (await api.get('/rules', headers=admin_headers)).json()['items']]}
    answer = await api.request(method, path.format(id=rule['id']), json=body, headers=headers)
    expected = {'visitor': 401, 'customer': 403,
                'agent': 200 if (method, path) in READS else 403,
                'admin': CREATED.get((method, path), 200)}[role]
    assert answer.status_code == expected, answer.text


def test_the_schemas_choices_are_the_domains() -> None:
    from typing import get_args

    from api.schemas_rules import Channel, Trigger
    from domain.rules.checks import CHANNELS, TRIGGERS
    assert (get_args(Trigger), get_args(Channel)) == (TRIGGERS, CHANNELS)
