"""Signing in with Discord in a real browser: the app in a subprocess, the fake Discord on 127.0.0.1, headless Chromium.

Nelly presses "Sign in with Discord" and lands signed in; a second sign-in (another browser) reuses her account; a
refusal and a failing provider come back to the sign-in page with a message; Oscar, who has a password account,
links his Discord on his profile, and cannot link Nelly's. Screenshots of /login and /profile (light and dark,
English and Russian) are kept as artifacts.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import app_server
from tests.fakes.oauth_provider import CLIENT_ID, CLIENT_SECRET, FakeProvider, Person, RunningProvider

pytestmark = pytest.mark.e2e
async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')
Page, expect = async_api.Page, async_api.expect

from tests.e2e.steps import WAIT, Traffic, account_button, artifacts_dir, header, register, user_menu  # noqa: E402

NewPage = Callable[..., Awaitable[Page]]


@pytest.fixture
def fake_discord() -> Iterator[FakeProvider]:
    with RunningProvider() as provider:
        yield provider


@pytest.fixture
def oauth_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_discord: FakeProvider) -> Iterator[str]:
    """The app with Discord sign-in pointed at the fake."""
    monkeypatch.setenv('DISCORD_CLIENT_ID', CLIENT_ID)
    monkeypatch.setenv('DISCORD_CLIENT_SECRET', CLIENT_SECRET)
    monkeypatch.setenv('DISCORD_API_BASE', fake_discord.discord_api)
    with app_server(tmp_path / 'app') as base_url:
        yield base_url


@pytest.fixture
async def new_page(e2e_browser, oauth_server: str) -> AsyncIterator[NewPage]:
    """A page in a new browser context (own cookies); `locale` and `color_scheme` as a person's browser sets them."""
    contexts = []

    async def make(*, locale: str = 'en-US', color_scheme: str = 'light') -> Page:
        context = await e2e_browser.new_context(base_url=oauth_server, locale=locale, color_scheme=color_scheme,
                                                viewport={'width': 1280, 'height': 900})
        context.set_default_timeout(WAIT)
        contexts.append(context)
        return await context.new_page()

    yield make
    for context in contexts:
        await context.close()


async def sign_in_with_discord(page: Page, *, then: str = '/requests') -> None:
    await page.goto(f'/login?redirect_to={then}')
    await page.get_by_role('button', name='Sign in with Discord').click()


async def test_signing_in_and_linking_with_discord(new_page: NewPage, fake_discord: FakeProvider,
                                                   tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    nelly = Person(f'1{tag}', f'nelly_{tag}', f'Nelly {tag}')
    directory = artifacts_dir(tmp_path)
    traffic = Traffic()

    async def screenshot(page: Page, name: str) -> None:
        await traffic.settle(page)
        path = directory / f'oauth-{name}.png'
        await page.screenshot(path=str(path), full_page=True)
        print(f'screenshot: {path}')

    async def fresh(**options: str) -> Page:
        return traffic.watch(await new_page(**options))

    # 1. Nelly presses "Sign in with Discord" and lands signed in where she was going.
    fake_discord.person = nelly
    first = await fresh()
    await first.goto('/login?redirect_to=/support')
    await screenshot(first, 'login-en-light')
    await first.get_by_role('button', name='Sign in with Discord').click()
    await expect(first).to_have_url(re.compile(r'/support$'), timeout=WAIT)
    await expect(account_button(first, nelly.name)).to_be_visible(timeout=WAIT)
    assert fake_discord.token_requests[-1]['code_verifier']  # PKCE, checked by the fake against the challenge

    # 2. In another browser, Discord signs her into the same account (same username, no suffix).
    second = await fresh()
    await sign_in_with_discord(second, then='/profile')
    await expect(second).to_have_url(re.compile(r'/profile$'), timeout=WAIT)
    await expect(second.get_by_text(nelly.username, exact=True)).to_be_visible(timeout=WAIT)
    await expect(second.get_by_text(re.compile(r'^Linked on '))).to_be_visible(timeout=WAIT)

    # 3. Refused at Discord, and Discord failing: back on the sign-in page with a message, not signed in.
    refused = await fresh()
    fake_discord.deny_next = True
    await sign_in_with_discord(refused)
    await expect(refused).to_have_url(re.compile(r'/login\?redirect_to=/requests$'), timeout=WAIT)
    await expect(refused.get_by_role('alert')).to_have_text('Signing in with Discord was cancelled.', timeout=WAIT)
    await expect(header(refused).get_by_role('link', name='Sign in')).to_be_visible(timeout=WAIT)
    fake_discord.fail_token = True
    await sign_in_with_discord(refused)
    await expect(refused.get_by_role('alert')).to_have_text('Signing in with Discord did not work. Try again later.',
                                                            timeout=WAIT)
    fake_discord.fail_token = False

    # 4. Oscar has a password account; on his profile he links his own Discord account.
    oscar = await fresh()
    await oscar.goto('/requests')
    await register(oscar, f'oscar_{tag}')
    await user_menu(oscar, f'oscar_{tag}', 'Profile')
    await expect(oscar).to_have_url(re.compile(r'/profile$'), timeout=WAIT)
    await expect(oscar.get_by_role('heading', name='Profile', level=1)).to_be_visible(timeout=WAIT)
    await screenshot(oscar, 'profile-en-light')
    fake_discord.person = Person(f'2{tag}', f'oscar_{tag}_discord', 'Oscar')
    await oscar.get_by_role('button', name='Link Discord').click()
    await expect(oscar.get_by_role('status')).to_have_text('Your Discord account is linked.', timeout=WAIT)
    await expect(oscar.get_by_role('button', name='Link Discord')).to_have_count(0)
    await screenshot(oscar, 'profile-linked-en-light')

    # 5. Maria cannot link Nelly's Discord account: it belongs to another user.
    maria = await fresh()
    await maria.goto('/requests')
    await register(maria, f'maria_{tag}')
    await maria.goto('/profile')
    fake_discord.person = nelly
    await maria.get_by_role('button', name='Link Discord').click()
    await expect(maria.get_by_role('alert')).to_have_text(
        'This Discord account is already linked to another user.', timeout=WAIT)
    await expect(maria.get_by_role('button', name='Link Discord')).to_be_visible(timeout=WAIT)

    # 6. The same pages in Russian and in the dark.
    for locale, scheme in (('ru-RU', 'light'), ('en-US', 'dark'), ('ru-RU', 'dark')):
        lang = locale[:2]
        visitor = await fresh(locale=locale, color_scheme=scheme)
        await visitor.goto('/login')
        button = 'Войти через Discord' if lang == 'ru' else 'Sign in with Discord'
        await expect(visitor.get_by_role('button', name=button)).to_be_visible(timeout=WAIT)
        await screenshot(visitor, f'login-{lang}-{scheme}')
        fake_discord.person = nelly
        await visitor.get_by_role('button', name=button).click()
        await expect(header(visitor).get_by_text(nelly.name, exact=True)).to_be_visible(timeout=WAIT)
        await visitor.goto('/profile')
        await expect(visitor.get_by_role('heading', level=1)).to_have_text('Профиль' if lang == 'ru' else 'Profile',
                                                                          timeout=WAIT)
        await screenshot(visitor, f'profile-{lang}-{scheme}')
    await traffic.settle()  # before any context closes
