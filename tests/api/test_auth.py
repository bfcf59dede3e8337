"""/api/v1/auth: registering, tokens for a password, refreshing, who am I, signing out."""

from __future__ import annotations

import httpx

from domain.desk import Desk
from tests.api.conftest import SignIn
from tests.factories import PASSWORD, make_user, unique


async def tokens_of(api: httpx.AsyncClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = await api.post('/auth/token', json={'username': username, 'password': password})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {'Authorization': f'Bearer {tokens["access_token"]}'}


async def test_register_then_sign_in_and_ask_who_i_am(api: httpx.AsyncClient) -> None:
    name = unique()
    registered = await api.post('/auth/register', json={'username': name, 'password': PASSWORD})
    assert registered.status_code == 201
    assert registered.json() | {'id': 0} == {'id': 0, 'username': name, 'display_name': name, 'role': 'customer',
                                             'is_active': True}
    tokens = await tokens_of(api, name.upper())
    assert tokens['token_type'] == 'bearer' and tokens['expires_in'] == 900
    me = await api.get('/auth/me', headers=bearer(tokens))
    assert me.status_code == 200 and me.json()['username'] == name


async def test_a_taken_or_bad_username_names_the_field(api: httpx.AsyncClient, api_desk: Desk) -> None:
    taken = await make_user(api_desk)
    response = await api.post('/auth/register', json={'username': taken.username, 'password': PASSWORD})
    assert response.status_code == 409
    assert response.json() == {'error': {'code': 'conflict', 'message': 'This username is taken.',
                                         'field': 'username'}}
    response = await api.post('/auth/register', json={'username': 'a b', 'password': PASSWORD})
    assert response.status_code == 422 and response.json()['error']['field'] == 'username'
    response = await api.post('/auth/register', json={'username': unique(), 'password': 'short'})
    assert response.status_code == 422 and response.json()['error']['field'] == 'password'


async def test_unknown_and_missing_fields_are_refused(api: httpx.AsyncClient) -> None:
    response = await api.post('/auth/register', json={'username': unique(), 'password': PASSWORD, 'role': 'admin'})
    assert response.status_code == 422
    assert response.json()['error'] | {'message': ''} == {'code': 'invalid_input', 'message': '', 'field': 'role'}
    response = await api.post('/auth/token', json={'username': 'someone'})
    assert response.status_code == 422 and response.json()['error']['field'] == 'password'


async def test_a_wrong_password_is_a_400_and_repeated_ones_a_429(api: httpx.AsyncClient, api_desk: Desk) -> None:
    user = await make_user(api_desk)
    for _ in range(3):
        response = await api.post('/auth/token', json={'username': user.username, 'password': 'wrong password'})
        assert response.status_code == 400
        assert response.json() == {'error': {'code': 'invalid_input', 'message': 'Wrong username or password.'}}
    response = await api.post('/auth/token', json={'username': user.username, 'password': PASSWORD})
    assert response.status_code == 429
    assert response.json()['error']['code'] == 'too_many_attempts'
    assert int(response.headers['Retry-After']) >= 1


async def test_refreshing_rotates_and_a_reused_token_ends_the_sign_in(api: httpx.AsyncClient,
                                                                      api_desk: Desk) -> None:
    user = await make_user(api_desk)
    first = await tokens_of(api, user.username)
    second = (await api.post('/auth/refresh', json={'refresh_token': first['refresh_token']})).json()
    assert second['refresh_token'] != first['refresh_token']
    assert (await api.get('/auth/me', headers=bearer(second))).status_code == 200
    replay = await api.post('/auth/refresh', json={'refresh_token': first['refresh_token']})
    assert replay.status_code == 401 and replay.json()['error']['code'] == 'not_signed_in'
    latest = await api.post('/auth/refresh', json={'refresh_token': second['refresh_token']})
    assert latest.status_code == 401


async def test_signing_out_ends_refreshing(api: httpx.AsyncClient, api_desk: Desk) -> None:
    user = await make_user(api_desk)
    tokens = await tokens_of(api, user.username)
    response = await api.post('/auth/sign-out', json={'refresh_token': tokens['refresh_token']})
    assert response.status_code == 204 and response.content == b''
    refused = await api.post('/auth/refresh', json={'refresh_token': tokens['refresh_token']})
    assert refused.status_code == 401
    # The access token is not stored anywhere: it lapses by itself within 15 minutes.
    assert (await api.get('/auth/me', headers=bearer(tokens))).status_code == 200
    garbage = await api.post('/auth/sign-out', json={'refresh_token': 'not a token'})
    assert garbage.status_code == 401


async def test_no_bad_or_foreign_token_gets_in(api: httpx.AsyncClient, api_desk: Desk) -> None:
    user = await make_user(api_desk)
    tokens = await tokens_of(api, user.username)
    for headers in ({}, {'Authorization': 'Bearer nonsense'}, {'Authorization': f'Basic {tokens["access_token"]}'},
                    {'Authorization': f'Bearer {tokens["refresh_token"]}'},
                    {'Authorization': f'Bearer {tokens["access_token"][:-3]}abc'}):
        response = await api.get('/auth/me', headers=headers)
        assert response.status_code == 401, headers
        assert response.headers['WWW-Authenticate'] == 'Bearer'
        assert response.json()['error']['code'] == 'not_signed_in'


async def test_a_deactivated_users_tokens_stop_working_at_once(api: httpx.AsyncClient, api_desk: Desk,
                                                                signed_in: SignIn) -> None:
    _admin, admin_headers = await signed_in('admin')
    user = await make_user(api_desk)
    tokens = await tokens_of(api, user.username)
    assert (await api.get('/auth/me', headers=bearer(tokens))).status_code == 200
    response = await api.put(f'/users/{user.id}/active', json={'active': False}, headers=admin_headers)
    assert response.status_code == 200 and response.json()['is_active'] is False
    assert (await api.get('/auth/me', headers=bearer(tokens))).status_code == 401
    assert (await api.post('/auth/refresh', json={'refresh_token': tokens['refresh_token']})).status_code == 401
