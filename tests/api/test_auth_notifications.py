"""/api/v1/auth/me/notifications: the signed-in user's email notification choices."""

from __future__ import annotations

import httpx

from tests.api.conftest import SignIn


async def test_a_user_reads_and_replaces_their_notification_choices(api: httpx.AsyncClient,
                                                                    signed_in: SignIn) -> None:
    _account, headers = await signed_in()
    fresh = await api.get('/auth/me/notifications', headers=headers)
    assert fresh.status_code == 200 and fresh.json() == {'email': None, 'events': []}
    saved = await api.put('/auth/me/notifications', headers=headers,
                          json={'email': 'anna@example.com', 'events': ['assigned', 'status.changed']})
    assert saved.status_code == 200
    assert saved.json() == {'email': 'anna@example.com', 'events': ['status.changed', 'assigned']}
    assert (await api.get('/auth/me/notifications', headers=headers)).json() == saved.json()


async def test_a_bad_address_or_event_is_refused_with_the_field(api: httpx.AsyncClient, signed_in: SignIn) -> None:
    _account, headers = await signed_in()
    bad = await api.put('/auth/me/notifications', headers=headers, json={'email': 'anna', 'events': []})
    assert bad.status_code == 422 and bad.json()['error']['field'] == 'email'
    unknown = await api.put('/auth/me/notifications', headers=headers,
                            json={'email': 'anna@example.com', 'events': ['everything']})
    assert unknown.status_code == 422 and unknown.json()['error']['field'] == 'events.0'
    assert (await api.get('/auth/me/notifications', headers=headers)).json() == {'email': None, 'events': []}
    assert (await api.get('/auth/me/notifications')).status_code == 401
