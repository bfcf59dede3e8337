"""Chat widgets through the API: admins create and change them and get the snippets; nobody else may."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from domain.desk import Desk
from domain.widgets.identity import HostIdentity, UnverifiedIdentity, signature
from storage.widgets import WidgetRow
from tests.api.conftest import SignIn


async def support_queue_id(desk: Desk) -> int:
    async with desk.widgets.uow() as uow:
        queue = await uow.workflows.queue_by_name('Support')
    assert queue is not None
    return queue.id


async def widget_through_the_api(api: httpx.AsyncClient, desk: Desk,
                                 headers: dict[str, str]) -> tuple[dict[str, Any], WidgetRow]:
    """A widget on Support made with POST /widgets: the API's answer (with the secret), and the widget as stored."""
    created = (await api.post('/widgets', json={'name': 'x', 'queue_id': await support_queue_id(desk)},
                              headers=headers)).json()
    widget = await desk.widgets.public(created['public_key'])
    assert widget is not None
    return created, widget


async def test_an_admin_creates_a_widget_and_gets_its_snippets_and_its_secret(
        api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    body = {'name': 'Shop chat', 'queue_id': await support_queue_id(api_desk),
            'origins': ['https://Shop.example.com:443', 'http://127.0.0.2:8001'], 'greeting': 'Hi!',
            'name_field': 'optional', 'email_field': 'required'}
    created = await api.post('/widgets', json=body, headers=headers)
    assert created.status_code == 201, created.text
    widget = created.json()
    assert widget['origins'] == ['https://shop.example.com', 'http://127.0.0.2:8001']
    assert len(widget['secret']) >= 40
    key = widget['public_key']
    assert widget['snippets']['script'] == f'<script src="http://test/widget/{key}/loader.js" async></script>'
    assert widget['snippets']['iframe'].startswith(f'<iframe src="http://test/widget/{key}"')
    assert 'data-user-hash="HASH"' in widget['snippets']['identified_script']
    assert '#user_id=USER_ID&amp;' in widget['snippets']['identified_iframe']
    read = (await api.get(f'/widgets/{widget["id"]}', headers=headers)).json()
    assert read['secret'] == widget['secret'] and read['name'] == 'Shop chat'
    listed = (await api.get('/widgets', headers=headers)).json()
    assert [(item['id'], item['secret']) for item in listed['items']] == [(widget['id'], widget['secret'])]
    changed = await api.put(f'/widgets/{widget["id"]}', json={**body, 'name': 'Renamed', 'origins': []},
                            headers=headers)
    assert changed.status_code == 200 and changed.json()['name'] == 'Renamed'
    assert changed.json()['public_key'] == key
    secret = await api.post(f'/widgets/{widget["id"]}/secret', headers=headers)
    assert secret.status_code == 200 and secret.json()['secret'] != widget['secret']
    read = (await api.get(f'/widgets/{widget["id"]}', headers=headers)).json()
    assert read['secret'] == secret.json()['secret']  # rotated: the answers show the new one
    assert (await api.delete(f'/widgets/{widget["id"]}', headers=headers)).status_code == 204
    gone = await api.get(f'/widgets/{widget["id"]}', headers=headers)
    assert gone.status_code == 404 and gone.json()['error']['message'] == 'This widget does not exist.'


async def test_bad_origins_and_queues_are_refused_with_the_field(api: httpx.AsyncClient, api_desk: Desk,
                                                                 signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    queue_id = await support_queue_id(api_desk)
    for origins in (['https://shop.example.com/page'], ['*'], ['https://*.example.com'], ['shop.example.com']):
        refused = await api.post('/widgets', json={'name': 'x', 'queue_id': queue_id, 'origins': origins},
                                 headers=headers)
        assert refused.status_code == 422, origins
        assert refused.json()['error']['field'] == 'origins'
    async with api_desk.widgets.uow() as uow:
        board = await uow.workflows.queue_by_name('Board')
    assert board is not None
    refused = await api.post('/widgets', json={'name': 'x', 'queue_id': board.id}, headers=headers)
    assert refused.status_code == 422 and refused.json()['error']['field'] == 'queue_id'
    refused = await api.post('/widgets', json={'name': 'x', 'queue_id': queue_id, 'accent': 'red'}, headers=headers)
    assert refused.status_code == 422


async def test_only_admins_manage_widgets(api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    _admin, admin = await signed_in('admin')
    body = {'name': 'x', 'queue_id': await support_queue_id(api_desk)}
    widget = (await api.post('/widgets', json=body, headers=admin)).json()
    for role in ('agent', 'customer'):
        _user, headers = await signed_in(role)
        assert (await api.get('/widgets', headers=headers)).status_code == 403
        assert (await api.post('/widgets', json=body, headers=headers)).status_code == 403
        assert (await api.post(f'/widgets/{widget["id"]}/secret', headers=headers)).status_code == 403
        assert (await api.delete(f'/widgets/{widget["id"]}', headers=headers)).status_code == 403
    assert (await api.get('/widgets')).status_code == 401


async def test_widget_conversations_show_in_the_api_as_tickets_and_visitors_as_no_users(
        api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    _created, widget = await widget_through_the_api(api, api_desk, headers)
    sent = await api_desk.widget_chat.write(widget, token=None, text='Hello from a visitor')
    tickets = await api.get('/tickets', headers=headers)
    assert tickets.status_code == 200, tickets.text
    [ticket] = [item for item in tickets.json()['items'] if item['title'] == 'Hello from a visitor']
    assert ticket['channel'] == 'widget'
    users = await api.get('/users', headers=headers, params={'limit': 100})
    assert users.status_code == 200, users.text
    assert sent.visitor_id not in [user['id'] for user in users.json()['items']]
    audit = await api.get('/audit', headers=headers)
    assert audit.status_code == 200, audit.text
    assert {'widget.created', 'visitor.created'} <= {item['kind'] for item in audit.json()['items']}


async def test_rotating_the_secret_refuses_identities_signed_with_the_old_one(
        api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    created, widget = await widget_through_the_api(api, api_desk, headers)
    old = HostIdentity('u-1', 'Ann', 'ann@shop.example', signature(created['secret'], 'u-1'))
    joined = await api_desk.widget_joining.identify(widget, token=None, identity=old, address='test')
    rotated = (await api.post(f'/widgets/{created["id"]}/secret', headers=headers)).json()['secret']
    with pytest.raises(UnverifiedIdentity):
        await api_desk.widget_joining.identify(widget, token=None, identity=old, address='test')
    new = HostIdentity('u-1', 'Ann', 'ann@shop.example', signature(rotated, 'u-1'))
    again = await api_desk.widget_joining.identify(widget, token=None, identity=new, address='test')
    assert again.acting_id == joined.acting_id  # the same user of the site, the same visitor
    for role in ('agent', 'customer'):  # the secret is in admin answers only
        _user, others = await signed_in(role)
        assert (await api.get(f'/widgets/{created["id"]}', headers=others)).status_code == 403
