"""A generic OAuth 2.0 provider configured by its endpoints (no discovery document, no ID token)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from tests.channels.steps import Browser, travel
from tests.factories import unique
from tests.fakes.oauth_provider import CLIENT_ID, CLIENT_SECRET, FakeProvider, Person


@pytest.fixture
def app_env(app_env: Path, monkeypatch: pytest.MonkeyPatch, provider: FakeProvider,
            request: pytest.FixtureRequest) -> Path:
    monkeypatch.setenv('OIDC_NAME', 'GitLab')
    monkeypatch.setenv('OIDC_CLIENT_ID', CLIENT_ID)
    monkeypatch.setenv('OIDC_CLIENT_SECRET', CLIENT_SECRET)
    monkeypatch.setenv('OIDC_AUTHORIZE_URL', f'{provider.base_url}/oidc/authorize')
    monkeypatch.setenv('OIDC_TOKEN_URL', f'{provider.base_url}/oidc/token')
    monkeypatch.setenv('OIDC_USERINFO_URL', f'{provider.base_url}/oidc/userinfo')
    if request.node.get_closest_marker('public_url'):
        monkeypatch.setenv('PUBLIC_URL', 'https://desk.example/')
    return app_env


async def test_a_provider_given_by_its_endpoints_signs_in_through_userinfo(browser: Browser, provider: FakeProvider,
                                                                          running_desk: Desk) -> None:
    provider.person = Person(unique('gl-'), unique('maria'), 'Maria')
    client = browser()
    assert await travel(client, '/auth/gitlab/login') == '/requests'
    assert 'id_token' not in provider.token_requests[-1] and provider.token_requests[-1]['code_verifier']
    person = User(client)
    await person.open('/profile')
    await person.should_see(marker='signed-in-as', content='Maria')
    await person.should_see(kind=ui.label, content='GitLab')
    await person.should_not_see(kind=ui.button, content='Sign in with Discord')


@pytest.mark.public_url
async def test_behind_a_proxy_the_redirect_uri_names_the_public_address(browser: Browser, running_desk: Desk) -> None:
    response = await browser().post('/auth/gitlab/login')
    query = parse_qs(urlsplit(response.headers['location']).query)
    assert query['redirect_uri'] == ['https://desk.example/auth/gitlab/callback']
    assert query['code_challenge_method'] == ['S256'] and query['state'][0]
