"""Sign-in through OAuth providers over HTTP: the app (main.py, in process) and the fake provider on 127.0.0.1.

A browser is an httpx client holding the app's session cookie; it follows redirects between the two until it is
sent to one of the app's pages, which a simulated NiceGUI user then opens with the same cookie.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from tests.channels.steps import Browser, notice_on, signed_in_with_password, travel
from tests.factories import make_user, unique
from tests.fakes.oauth_provider import CLIENT_ID, CLIENT_SECRET, FakeProvider, Person, RunningProvider


@pytest.fixture
def app_env(app_env: Path, monkeypatch: pytest.MonkeyPatch, provider: FakeProvider) -> Path:
    """Discord and an OpenID Connect provider named Keycloak, both played by the fake."""
    monkeypatch.setenv('DISCORD_CLIENT_ID', CLIENT_ID)
    monkeypatch.setenv('DISCORD_CLIENT_SECRET', CLIENT_SECRET)
    monkeypatch.setenv('DISCORD_API_BASE', provider.discord_api)
    monkeypatch.setenv('OIDC_NAME', 'Keycloak')
    monkeypatch.setenv('OIDC_CLIENT_ID', CLIENT_ID)
    monkeypatch.setenv('OIDC_CLIENT_SECRET', CLIENT_SECRET)
    monkeypatch.setenv('OIDC_DISCOVERY_URL', provider.discovery_url)
    return app_env


async def test_sign_in_with_discord_creates_a_customer_and_lands_signed_in(browser: Browser, provider: FakeProvider,
                                                                          running_desk: Desk) -> None:
    provider.person = Person(unique('1'), unique('nelly'), 'Nelly Furtado')
    client = browser()
    assert await travel(client, '/auth/discord/login?redirect_to=/support') == '/support'
    # PKCE: the fake checked the verifier against the challenge; the app sent it with the code.
    assert len(provider.token_requests[-1]['code_verifier']) >= 43
    person = User(client)
    await person.open('/profile')
    await person.should_see(marker='signed-in-as', content='Nelly Furtado')
    await person.should_see(kind=ui.label, content=provider.person.username)
    await person.should_see(kind=ui.label, content='Linked on')
    await person.should_see(kind=ui.label, content='Customer')


async def test_a_later_sign_in_finds_the_same_account(browser: Browser, provider: FakeProvider,
                                                     running_desk: Desk) -> None:
    provider.person = Person(unique('1'), unique('nelly'))
    await travel(browser(), '/auth/discord/login')
    second = browser()  # another browser, the same person at Discord
    assert await travel(second, '/auth/discord/login') == '/requests'
    person = User(second)
    await person.open('/profile')
    await person.should_see(marker='signed-in-as', content=provider.person.username)
    users = await running_desk.users.list(actor_id=(await make_user(running_desk, role='admin')).id,
                                          search=provider.person.username)
    assert [row.username for row in users.rows] == [provider.person.username]


async def test_an_openid_connect_provider_signs_in_with_a_verified_id_token(browser: Browser, provider: FakeProvider,
                                                                           running_desk: Desk) -> None:
    provider.person = Person(unique('oidc-'), unique('maria'), 'Мария Иванова', 'maria@example.org')
    client = browser()
    assert await travel(client, '/auth/keycloak/login?redirect_to=/profile') == '/profile'
    assert provider.token_requests[-1]['code_verifier']
    person = User(client)
    await person.open('/profile')
    await person.should_see(marker='signed-in-as', content='Мария Иванова')
    await person.should_see(kind=ui.label, content='Keycloak')


async def test_a_refusal_at_the_provider_returns_to_sign_in_with_a_message(browser: Browser, provider: FakeProvider,
                                                                          running_desk: Desk) -> None:
    provider.deny_next = True
    client = browser()
    landed = await travel(client, '/auth/discord/login?redirect_to=/support')
    assert landed == '/login?redirect_to=/support'
    person = await notice_on(client, landed, 'Signing in with Discord was cancelled.')
    await person.should_not_see(marker='signed-in-as')


@pytest.mark.parametrize('trouble', ['fail_token', 'fail_userinfo'])
async def test_a_failing_provider_returns_to_sign_in_with_a_message(browser: Browser, provider: FakeProvider,
                                                                   running_desk: Desk, trouble: str) -> None:
    setattr(provider, trouble, True)
    client = browser()
    landed = await travel(client, '/auth/discord/login')
    assert landed == '/login?redirect_to=/requests'
    await notice_on(client, landed, 'Signing in with Discord did not work. Try again later.')


async def test_a_callback_with_a_state_this_browser_did_not_start_is_refused(browser: Browser,
                                                                            provider: FakeProvider,
                                                                            running_desk: Desk) -> None:
    client = browser()
    await client.get('/login')  # a session exists, but no flow was started in it
    response = await client.get('/auth/discord/callback?code=stolen&state=forged')
    assert response.status_code == 303 and response.headers['location'] == '/login?redirect_to=/requests'
    await notice_on(client, '/login', 'Signing in with Discord did not work. Try again later.')
    assert provider.token_requests == []  # the code was never even tried


async def test_a_callback_from_another_browser_is_refused(browser: Browser, provider: FakeProvider,
                                                         running_desk: Desk) -> None:
    started = browser()
    response = await started.post('/auth/discord/login')
    at_provider = await started.get(response.headers['location'])
    callback = at_provider.headers['location']  # the code and state, carried to someone else's browser
    victim = browser()
    response = await victim.get(callback)
    assert response.headers['location'] == '/login?redirect_to=/requests'
    assert provider.token_requests == []


async def test_a_provider_that_is_down_returns_to_sign_in_with_a_message(browser: Browser, running: RunningProvider,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    client = browser()
    response = await client.post('/auth/discord/login')
    callback = (await client.get(response.headers['location'])).headers['location']
    running.stop()  # down after sending the person back, before the app fetches the token
    response = await client.get(callback)
    assert response.headers['location'] == '/login?redirect_to=/requests'
    await notice_on(client, '/login', 'Signing in with Discord did not work. Try again later.')
    # Keycloak's discovery document cannot be fetched either: the button leads straight back.
    assert await travel(client, '/auth/keycloak/login') == '/login?redirect_to=/requests'
    await notice_on(client, '/login', 'Signing in with Keycloak did not work. Try again later.')
    failures = [record for record in caplog.records if 'failed while' in record.getMessage()]
    assert [record.levelname for record in failures] == ['WARNING', 'WARNING']  # the operator hears of it


async def test_a_deactivated_account_cannot_sign_in_through_a_provider(browser: Browser, provider: FakeProvider,
                                                                      running_desk: Desk) -> None:
    provider.person = Person(unique('1'), unique('nelly'))
    await travel(browser(), '/auth/discord/login')
    admin = await make_user(running_desk, role='admin')
    found = await running_desk.users.list(actor_id=admin.id, search=provider.person.username)
    await running_desk.users.set_active(actor_id=admin.id, user_id=found.rows[0].id, active=False)
    client = browser()
    landed = await travel(client, '/auth/discord/login')
    person = await notice_on(client, landed, 'This account is deactivated. Ask an administrator to turn it back on.')
    await person.should_not_see(marker='signed-in-as')


async def test_a_signed_in_user_links_discord_on_the_profile(browser: Browser, provider: FakeProvider,
                                                            running_desk: Desk) -> None:
    client = browser()
    person, user_id = await signed_in_with_password(client, running_desk)
    await person.open('/profile')
    await person.should_see(kind=ui.button, content='Link Discord')
    await person.should_see(kind=ui.button, content='Link Keycloak')
    provider.person = Person(unique('1'), unique('nelly'))
    assert await travel(client, '/auth/discord/link') == '/profile'
    await person.open('/profile')
    await person.should_see(kind=ui.label, content='Your Discord account is linked.')
    await person.should_not_see(kind=ui.button, content='Link Discord')
    await person.should_see(kind=ui.button, content='Link Keycloak')
    # From now on Discord signs this person into the same account.
    other = browser()
    await travel(other, '/auth/discord/login')
    assert [row.provider for row in await running_desk.identities.linked(user_id)] == ['discord']
    again = User(other)
    await again.open('/profile')
    await again.should_see(marker='signed-in-as')
    await again.should_not_see(kind=ui.button, content='Link Discord')


async def test_linking_an_account_linked_to_someone_else_is_refused(browser: Browser, provider: FakeProvider,
                                                                   running_desk: Desk) -> None:
    provider.person = Person(unique('1'), unique('nelly'))
    await travel(browser(), '/auth/discord/login')  # the Discord account now has its own Switchboard account
    client = browser()
    _person, user_id = await signed_in_with_password(client, running_desk)
    assert await travel(client, '/auth/discord/link') == '/profile'
    person = await notice_on(client, '/profile', 'This Discord account is already linked to another user.')
    await person.should_see(kind=ui.button, content='Link Discord')
    assert await running_desk.identities.linked(user_id) == []


async def test_linking_without_signing_in_asks_to_sign_in_first(browser: Browser, running_desk: Desk) -> None:
    client = browser()
    landed = await travel(client, '/auth/discord/link')
    assert landed == '/login?redirect_to=/profile'
    await notice_on(client, landed, 'Sign in first, then link your Discord account on your profile.')


async def test_an_unknown_provider_is_not_found(browser: Browser, running_desk: Desk) -> None:
    response = await browser().post('/auth/nowhere/login')
    assert response.status_code == 404


async def test_a_redirect_to_another_site_is_not_followed(browser: Browser, provider: FakeProvider,
                                                          running_desk: Desk) -> None:
    provider.person = Person(unique('1'), unique('nelly'))
    assert await travel(browser(), '/auth/discord/login?redirect_to=//evil.example/x') == '/requests'


@pytest.mark.parametrize('smuggled', ['%2F%09%2Fevil.example%2Fx', '%2F%0A%2Fevil.example%2Fx'])
async def test_a_redirect_smuggling_a_tab_or_newline_is_not_followed(browser: Browser, provider: FakeProvider,
                                                                     running_desk: Desk, smuggled: str) -> None:
    provider.person = Person(unique('1'), unique('nelly'))
    assert await travel(browser(), f'/auth/discord/login?redirect_to={smuggled}') == '/requests'


async def test_the_sign_in_page_offers_each_configured_provider(user: User) -> None:
    await user.open('/login')
    await user.should_see(kind=ui.button, content='Sign in with Discord')
    await user.should_see(kind=ui.button, content='Sign in with Keycloak')
