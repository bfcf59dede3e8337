"""Two app processes on one PostgreSQL: what happens through instance A shows on a page of instance B, live."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.e2e.conftest import app_server

pytestmark = pytest.mark.e2e
async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')
expect = async_api.expect
WAIT = 10_000


@pytest.fixture
def shared_database() -> Iterator[str]:
    """A fresh PostgreSQL database for both instances, dropped afterwards."""
    base = os.environ.get('TEST_DATABASE_URL')
    if not base:
        pytest.skip('several instances need PostgreSQL: set TEST_DATABASE_URL')
    name = f'switchboard_two_{uuid.uuid4().hex[:10]}'
    admin = make_url(base).set(drivername='postgresql', database='postgres').render_as_string(hide_password=False)
    asyncio.run(_execute(admin, f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(drivername='postgresql+asyncpg', database=name).render_as_string(hide_password=False)
    asyncio.run(_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _execute(dsn: str, statement: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def sign_in(page, base_url: str, username: str, path: str) -> None:
    await page.goto(f'{base_url}/login?redirect_to={path}')
    await page.get_by_label('Username').fill(username)
    await page.get_by_label('Password').fill('password')
    await page.get_by_role('button', name='Sign in').click()
    signed_in_as = page.get_by_role('banner').get_by_role('button', name=username, exact=True)  # the user menu
    await expect(signed_in_as).to_be_visible(timeout=WAIT)


def test_a_message_and_a_status_change_on_a_reach_a_page_on_b(shared_database: str, tmp_path: Path,
                                                               e2e_chromium: Path) -> None:
    # A seeds the demo users and requests; B starts after A has migrated, as a second instance would.
    with app_server(tmp_path / 'a', database_url=shared_database, args=('--demo',)) as a, \
            app_server(tmp_path / 'b', database_url=shared_database) as b:
        asyncio.run(_story(a, b, e2e_chromium))


async def _story(a: str, b: str, chromium: Path) -> None:
    from tests.e2e.conftest import CHROMIUM_ARGS

    async with async_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            author = await (await browser.new_context(locale='en-US')).new_page()
            responder = await (await browser.new_context(locale='en-US')).new_page()
            await sign_in(author, b, 'admin', '/requests/1')  # the author watches request 1 on instance B
            await expect(author.get_by_text('Responses (0)')).to_be_visible(timeout=WAIT)
            await sign_in(responder, a, 'user', '/requests/1')  # the responder writes on instance A
            await author.evaluate('window.__no_reload = 1')

            await responder.get_by_role('textbox', name='Message').fill('Written on A')
            await responder.get_by_role('button', name='Send').click()
            await expect(author.get_by_text('Responses (1)')).to_be_visible(timeout=WAIT)
            await expect(author.get_by_text('Written on A')).to_be_visible(timeout=WAIT)

            await author.get_by_label('Change status').click()
            await author.get_by_role('option', name='In progress').click()
            await expect(responder.get_by_text('In progress', exact=True).first).to_be_visible(timeout=WAIT)
            assert await author.evaluate('window.__no_reload') == 1
        finally:
            await browser.close()
