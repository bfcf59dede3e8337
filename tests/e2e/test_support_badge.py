"""In real browsers: a support answer that arrives after the customer left the chat for another page lights the
header's badge (the left page, which lives on unseen for the reconnect timeout, does not mark it read), the badge
leads to the chat, and opening it clears the badge."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.e2e
async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')
Page, expect = async_api.Page, async_api.expect

from tests.e2e.steps import WAIT, message_box  # noqa: E402


async def sign_in(page: Page, username: str) -> None:
    await page.goto('/login')
    await page.get_by_label('Username').fill(username)
    await page.get_by_label('Password').fill('password')
    await page.get_by_role('button', name='Sign in').click()
    signed_in_as = page.get_by_role('banner').get_by_role('button', name=username, exact=True)  # the user menu
    await expect(signed_in_as).to_be_visible(timeout=WAIT)


async def test_an_answer_after_leaving_the_chat_lights_the_badge_until_the_chat_is_opened(e2e_new_page) -> None:
    question, answer = f'Badge question {uuid.uuid4().hex[:6]}', 'Here is the answer'
    customer, agent = await e2e_new_page(), await e2e_new_page()
    await sign_in(customer, 'user')
    await customer.goto('/support')
    await message_box(customer).fill(question)
    await customer.get_by_role('button', name='Send').click()
    await expect(customer.get_by_text(question, exact=True)).to_be_visible(timeout=WAIT)
    await customer.goto('/requests')  # a new page load: the chat's page lives on unseen for a while

    await sign_in(agent, 'admin')
    await agent.goto('/inbox')
    row = agent.get_by_role('link', name=question)
    await agent.goto(await row.get_attribute('href', timeout=WAIT))
    await message_box(agent).fill(answer)
    await agent.get_by_role('button', name='Reply').click()

    badge = customer.get_by_role('link', name='Unread messages: 1')
    await expect(badge).to_be_visible(timeout=WAIT)  # live, and not read by the page left behind
    await expect(badge).to_have_attribute('href', '/support')
    await badge.click()
    await expect(customer.get_by_text(answer, exact=True)).to_be_visible(timeout=WAIT)
    await expect(customer.get_by_role('link', name='Unread messages: 0')).to_be_visible(timeout=WAIT)
