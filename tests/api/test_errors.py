"""The one error shape: unknown routes, wrong methods, malformed bodies, odd input, failures; pages unaffected."""

from __future__ import annotations

import httpx
import pytest
from nicegui.testing import User

from domain.desk import Desk
from tests.api.conftest import SignIn
from tests.database_errors import RESTARTING, as_sqlalchemy_raises
from tests.factories import make_request


async def test_an_unknown_api_route_is_a_json_404(api: httpx.AsyncClient, signed_in: SignIn) -> None:
    _user, headers = await signed_in()
    for path in ('/nothing-here', 'http://test/api/v2/requests', 'http://test/api'):
        response = await api.get(path, headers=headers)
        assert response.status_code == 404, path
        assert response.json() == {'error': {'code': 'not_found', 'message': 'There is no such API route.'}}


async def test_a_wrong_method_is_a_json_405_naming_the_allowed_ones(api: httpx.AsyncClient) -> None:
    response = await api.delete('/auth/me')
    assert response.status_code == 405
    assert response.headers['Allow'] == 'GET'
    assert response.json()['error']['code'] == 'method_not_allowed'


async def test_a_405_names_every_method_of_the_path_not_only_the_first_routes(api: httpx.AsyncClient) -> None:
    for method, path, allowed in (('DELETE', '/requests', {'GET', 'POST'}),
                                  ('OPTIONS', '/requests/1/conversations', {'GET', 'POST'}),
                                  ('PATCH', '/workflows/1', {'GET'}),
                                  ('GET', '/statuses/1', {'PATCH', 'DELETE'})):
        response = await api.request(method, path)
        assert response.status_code == 405, path
        assert {name.strip() for name in response.headers['Allow'].split(',')} == allowed, path


async def test_a_malformed_body_is_a_422_not_a_500(api: httpx.AsyncClient, signed_in: SignIn) -> None:
    _user, headers = await signed_in()
    for content in (b'{"title": ', b'[1, 2]', b'"just a string"'):
        response = await api.post('/requests', content=content,
                                  headers={**headers, 'Content-Type': 'application/json'})
        assert response.status_code == 422, content
        assert response.json()['error'] | {'message': ''} == {'code': 'invalid_input', 'message': '', 'field': 'body'}
    not_utf8 = await api.post('/requests', content='ü'.encode('latin-1'),
                              headers={**headers, 'Content-Type': 'application/json'})
    assert not_utf8.status_code == 400 and not_utf8.json()['error']['code'] == 'bad_request'
    wrong_type = await api.post('/requests', json={'title': 42}, headers=headers)
    assert wrong_type.status_code == 422 and wrong_type.json()['error']['field'] == 'title'


async def test_ids_beyond_what_the_database_holds_are_refused_as_input(api: httpx.AsyncClient,
                                                                       signed_in: SignIn) -> None:
    _user, headers = await signed_in()
    for path in (f'/requests/{2**63}', '/requests/0', '/requests/-1', '/requests/abc'):
        response = await api.get(path, headers=headers)
        assert response.status_code == 422, path
        assert response.json()['error']['field'] == 'request_id'
    assert (await api.get(f'/requests/{2**63 - 1}', headers=headers)).status_code == 404


async def test_text_with_nul_characters_is_stored_without_them(api: httpx.AsyncClient, api_desk: Desk,
                                                               signed_in: SignIn) -> None:
    author, headers = await signed_in()
    created = await api.post('/requests', json={'title': 'Bro\u0000ken', 'description': '\u0000'}, headers=headers)
    assert created.status_code == 201 and created.json()['title'] == 'Broken'
    found = await api.get('/requests', params={'search': 'bro\u0000', 'mine': True}, headers=headers)
    assert [item['id'] for item in found.json()['items']] == [created.json()['id']]
    request_id = await make_request(api_desk, author)
    _responder, responder_headers = await signed_in()
    sent = await api.post(f'/requests/{request_id}/conversations', json={'text': 'hi\u0000'},
                          headers=responder_headers)
    assert sent.status_code == 201 and sent.json()['body'] == 'hi'
    token = await api.post('/auth/token', json={'username': 'nobody\u0000', 'password': 'whatever1'})
    assert token.status_code == 422 and token.json()['error']['field'] == 'username'  # no username has one


async def test_a_failure_on_our_side_is_a_500_in_the_same_shape(api: httpx.AsyncClient, api_desk: Desk,
                                                                 signed_in: SignIn, monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    _user, headers = await signed_in()

    async def broken(**_kwargs: object) -> None:
        raise RuntimeError('the disk is on fire')

    monkeypatch.setattr(api_desk.requests, 'open', broken)
    response = await api.get('/requests/1', headers=headers)
    assert response.status_code == 500
    assert response.json() == {'error': {'code': 'internal_error', 'message': 'Something went wrong on our side.'}}
    assert 'the disk is on fire' in caplog.text
    caplog.clear()  # expected here; the fixture fails tests on any other ERROR logged


async def test_pages_keep_their_own_not_found_and_errors(user: User, api: httpx.AsyncClient) -> None:
    page = await api.get('http://test/no-such-page')
    assert 'text/html' in page.headers['content-type']  # NiceGUI's single-page app answers, not the API
    await user.open('/requests')
    await user.should_see('Requests')
    download = await api.get('http://test/files/999999')  # the pages' own download route, unchanged
    assert download.status_code == 404 and download.json() == {'detail': 'This file does not exist.'}


@pytest.mark.parametrize('error', RESTARTING, ids=lambda error: type(error).__name__)
async def test_a_database_restarting_is_a_503_to_retry(api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn,
                                                       monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    _user, headers = await signed_in()

    async def restarting(**_kwargs: object) -> None:
        raise as_sqlalchemy_raises(error)

    monkeypatch.setattr(api_desk.requests, 'open', restarting)
    response = await api.get('/requests/1', headers=headers)
    assert response.status_code == 503
    assert response.headers['Retry-After'] == '1'
    assert response.json()['error']['code'] == 'database_unavailable'


async def test_text_with_a_lone_surrogate_is_refused_as_input(api: httpx.AsyncClient, api_desk: Desk,
                                                              signed_in: SignIn) -> None:
    author, headers = await signed_in()
    json_headers = {**headers, 'Content-Type': 'application/json'}
    # Valid JSON (a \\u escape), but no character: UTF-8 cannot encode it, and neither can the database.
    created = await api.post('/requests', content=b'{"title": "a\\ud800b"}', headers=json_headers)
    assert created.status_code == 422
    assert created.json()['error']['field'] == 'title'
    assert 'surrogate' in created.json()['error']['message']
    request_id = await make_request(api_desk, author)
    sent = await api.post(f'/requests/{request_id}/conversations', content=b'{"text": "\\udfff"}',
                          headers=json_headers)
    assert sent.status_code == 422 and sent.json()['error']['field'] == 'text'
    paired = await api.post('/requests', content=b'{"title": "\\ud83d\\ude00 ok"}', headers=json_headers)
    assert paired.status_code == 201 and paired.json()['title'] == '\U0001f600 ok'


async def test_an_error_names_the_field_as_the_operation_calls_it(api: httpx.AsyncClient, signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    unknown_status = await api.post('/requests', json={'title': 'Printer', 'status_id': 999_999}, headers=headers)
    assert unknown_status.status_code in (404, 422), unknown_status.text
    assert unknown_status.json()['error']['field'] == 'status_id'
    unknown_workflow = await api.post('/queues', json={'name': 'Lab', 'visibility': 'private', 'workflow_id': 999_999},
                                      headers=headers)
    assert unknown_workflow.status_code in (404, 422), unknown_workflow.text
    assert unknown_workflow.json()['error']['field'] == 'workflow_id'
