"""In a real browser: a fresh load of an unknown address is a bare "not found" page (status 404), and a visitor
sent to sign in from a staff page comes back to it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e
async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')
Page, expect = async_api.Page, async_api.expect

from tests.conftest import PATCHES_ON  # noqa: E402
from tests.e2e.steps import WAIT  # noqa: E402


async def sign_in(page: Page, username: str) -> None:
    await page.get_by_label('Username').fill(username)
    await page.get_by_label('Password').fill('password')
    await page.get_by_role('button', name='Sign in').click()


async def test_a_fresh_load_of_an_unknown_address_shows_only_not_found(e2e_new_page) -> None:
    page: Page = await e2e_new_page()
    await page.goto('/login')
    await sign_in(page, 'user')
    await expect(page.get_by_role('button', name='New request')).to_be_visible(timeout=WAIT)
    response = await page.goto('/no-such-page')
    assert response is not None and response.status == 404
    if PATCHES_ON:
        await expect(page.get_by_role('heading', name='Not found')).to_be_visible(timeout=WAIT)
        await expect(page.get_by_role('link', name='Home')).to_have_attribute('href', '/')
    else:  # without patches/sub_pages.py, NiceGUI's own notice
        await expect(page.get_by_text('404: sub page /no-such-page not found')).to_be_visible(timeout=WAIT)
    await page.wait_for_timeout(500)  # the board, built in the background, used to arrive under the notice
    await expect(page.get_by_role('button', name='New request')).to_have_count(0)


async def test_a_visitor_on_the_inbox_signs_in_and_lands_on_the_inbox(e2e_new_page) -> None:
    page: Page = await e2e_new_page()
    await page.goto('/inbox')
    await expect(page.get_by_text('Sign in to see this page.')).to_be_visible(timeout=WAIT)
    await page.get_by_role('main').get_by_role('link', name='Sign in').click()
    await sign_in(page, 'admin')
    await page.wait_for_url('**/inbox', timeout=WAIT)
    await expect(page.get_by_text('Sign in to see this page.')).to_have_count(0)
