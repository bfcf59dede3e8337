"""The request-board story, end to end: two people in two browsers, one real server, headless Chromium.

Alice and Bob register, Alice posts a request, Bob sees it appear live and answers, Alice replies, Bob sees the
reply live. Elements are found the way a person finds them: by role, label and visible text.
"""

from __future__ import annotations

import re
import uuid

import pytest

pytestmark = pytest.mark.e2e
async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')
Page, expect = async_api.Page, async_api.expect

from tests.e2e.steps import WAIT, header, message_box, register  # noqa: E402


async def open_board(page: Page) -> None:
    """A first visit: not signed in yet, so the board offers to sign in instead of "New request"."""
    await page.goto('/requests')
    await expect(page.get_by_role('link', name='Sign in to create a request')).to_be_visible(timeout=WAIT)
    await page.evaluate('window.__no_reload = 42')  # survives only as long as the browser page is never reloaded


async def test_request_board_story(e2e_new_page) -> None:
    tag = uuid.uuid4().hex[:6]
    alice_name, bob_name = f'alice_{tag}', f'bob_{tag}'
    title = f'Coffee machine on floor 3 leaks {tag}'
    description = 'Water on the floor every morning.\nPlease send someone.'
    first, second = f'Hi Alice, I can look at it today ({tag}).', f'Which floor exactly? ({tag})'
    third_lines = (f'Found it, line one ({tag})', f'and line two ({tag})')
    answer = f'Thanks Bob, floor 3 by the stairs ({tag}).'

    alice = await e2e_new_page()
    bob = await e2e_new_page()

    # 1 + 2. Alice registers from the board; the marker proves later that the browser page never reloaded.
    await open_board(alice)
    await register(alice, alice_name)

    # 4 (first half). Bob registers too and keeps the board open while Alice creates her request.
    await open_board(bob)
    await register(bob, bob_name)
    await expect(bob.get_by_role('link', name=title)).to_have_count(0)

    # 3. Alice creates a request in the dialog; the row appears in her list without a reload.
    await alice.get_by_role('button', name='New request').click()
    dialog = alice.get_by_role('dialog')
    await expect(dialog).to_be_visible(timeout=WAIT)
    await dialog.get_by_label('Title', exact=True).fill(title)
    await dialog.get_by_label('Description', exact=True).fill(description)
    await dialog.get_by_role('button', name='Create', exact=True).click()
    await expect(dialog).to_be_hidden(timeout=WAIT)
    alice_row_link = alice.get_by_role('link', name=title, exact=True)
    await expect(alice_row_link).to_be_visible(timeout=WAIT)
    href = await alice_row_link.get_attribute('href')
    assert href is not None and re.fullmatch(r'/requests/\d+', href), href
    assert await alice.evaluate('window.__no_reload') == 42

    # 4 (second half). Bob's open list shows the new request live.
    bob_row_link = bob.get_by_role('link', name=title, exact=True)
    await expect(bob_row_link).to_be_visible(timeout=WAIT)
    assert await bob_row_link.get_attribute('href') == href

    # 5. Bob opens the request and responds: "Send" button, Enter, and Shift+Enter for a new line.
    await bob_row_link.click()
    await expect(bob).to_have_url(re.compile(re.escape(href) + '$'), timeout=WAIT)
    await expect(bob.get_by_role('heading', name=title, level=1)).to_be_visible(timeout=WAIT)
    await expect(bob.get_by_text('Water on the floor every morning.')).to_be_visible(timeout=WAIT)
    await expect(bob.get_by_text('No messages yet.')).to_be_visible(timeout=WAIT)

    await message_box(bob).fill(first)
    await bob.get_by_role('button', name='Send').click()
    await expect(bob.get_by_text(first, exact=True)).to_be_visible(timeout=WAIT)
    await expect(message_box(bob)).to_have_value('', timeout=WAIT)
    await expect(bob.get_by_text('No messages yet.')).to_be_hidden(timeout=WAIT)

    await message_box(bob).fill(second)
    await message_box(bob).press('Enter')
    await expect(bob.get_by_text(second, exact=True)).to_be_visible(timeout=WAIT)
    await expect(message_box(bob)).to_have_value('', timeout=WAIT)

    await message_box(bob).fill(third_lines[0])
    await message_box(bob).press('Shift+Enter')
    await message_box(bob).press_sequentially(third_lines[1])
    await expect(message_box(bob)).to_have_value('\n'.join(third_lines), timeout=WAIT)
    await expect(bob.get_by_text(third_lines[0])).to_have_count(0)  # Shift+Enter did not send
    await message_box(bob).press('Enter')
    await expect(message_box(bob)).to_have_value('', timeout=WAIT)
    third_bubble = bob.get_by_text(third_lines[0])
    await expect(third_bubble).to_be_visible(timeout=WAIT)
    assert (await third_bubble.inner_text()).strip() == '\n'.join(third_lines)  # one message, two lines

    # 6. Alice opens her request from her list: one response, from Bob; she reads it and answers.
    await alice_row_link.click()
    await expect(alice).to_have_url(re.compile(re.escape(href) + '$'), timeout=WAIT)
    await expect(alice.get_by_role('heading', name=title, level=1)).to_be_visible(timeout=WAIT)
    await expect(alice.get_by_text('Responses (1)', exact=True)).to_be_visible(timeout=WAIT)
    bob_entry = alice.get_by_role('listitem').filter(has=alice.get_by_text(bob_name, exact=True))
    await expect(bob_entry).to_have_count(1, timeout=WAIT)
    await bob_entry.click()
    await expect(alice.get_by_text(first, exact=True)).to_be_visible(timeout=WAIT)
    await expect(alice.get_by_text(second, exact=True)).to_be_visible(timeout=WAIT)
    await message_box(alice).fill(answer)
    await alice.get_by_role('button', name='Send').click()
    # Her answer shows twice: as a message in the conversation and as the entry's latest-message line.
    await expect(alice.get_by_text(answer, exact=True)).to_have_count(2, timeout=WAIT)
    await expect(bob_entry).to_contain_text(answer, timeout=WAIT)
    await expect(message_box(alice)).to_have_value('', timeout=WAIT)

    # 7. Bob sees Alice's answer on his open page, without reloading.
    await expect(bob.get_by_text(answer, exact=True)).to_be_visible(timeout=WAIT)

    # 8a. The browser's back button returns Bob to the board he came from, still inside the same page.
    await bob.go_back()
    await expect(bob).to_have_url(re.compile(r'/requests$'), timeout=WAIT)
    await expect(bob.get_by_role('button', name='New request')).to_be_visible(timeout=WAIT)
    await expect(bob.get_by_role('link', name=title, exact=True)).to_be_visible(timeout=WAIT)
    await expect(bob.get_by_role('heading', name=title)).to_have_count(0)

    # 2 (end). Neither browser page was reloaded by any of the navigation above.
    assert await alice.evaluate('window.__no_reload') == 42
    assert await bob.evaluate('window.__no_reload') == 42

    # 8b. A real reload of the deep link renders the request again, still signed in.
    await alice.reload()
    await expect(alice.get_by_role('heading', name=title, level=1)).to_be_visible(timeout=WAIT)
    await expect(header(alice).get_by_text(alice_name, exact=True)).to_be_visible(timeout=WAIT)
    await expect(alice.get_by_text('Responses (1)', exact=True)).to_be_visible(timeout=WAIT)
    assert await alice.evaluate('window.__no_reload') is None  # the reload really happened
