"""The support loop, end to end: a customer writes to support with a picture, an agent answers from the inbox.

Three people, each in their own browser context on one real server: the admin creates an agent in Admin → Users;
the agent keeps the inbox open while the customer registers and writes on /support with a PNG attached. The ticket
appears in the agent's inbox live, the agent opens it (the customer's message turns "Read"), adds an internal note
and replies with a text file. The customer sees the reply and the file live but never the note; the file downloads
for the customer and is a 404 for anyone else. Screenshots of both sides are kept as artifacts.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path

import pytest

from tests.e2e.steps import (
    PASSWORD,
    WAIT,
    Traffic,
    artifacts_dir,
    attach,
    bubble,
    create_agent,
    loaded_width,
    message_box,
    nav,
    open_count,
    png,
    register,
    sign_in,
    stamp,
)

pytestmark = pytest.mark.e2e
async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')
Page, expect = async_api.Page, async_api.expect

ADMIN = ('admin', 'password')  # seeded by the demo on SQLite


async def test_support_loop(e2e_new_page, e2e_browser, e2e_server: str, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    agent_name, customer_name = f'agent_{tag}', f'carol_{tag}'
    question = f'The printer shows this error ({tag}), what does it mean?'
    note = f'Internal: known firmware issue, do not tell the customer yet ({tag})'
    answer = f'Please restart it; the attached steps explain how ({tag}).'
    picture = tmp_path / f'error-{tag}.png'
    picture.write_bytes(png(64, 40))
    steps = tmp_path / f'steps-{tag}.txt'
    steps_bytes = b'1. Switch it off.\n2. Wait ten seconds.\n3. Switch it on.\n'
    steps.write_bytes(steps_bytes)
    secret = tmp_path / f'internal-{tag}.txt'
    secret.write_bytes(b'firmware 2.1.7 has the bug\n')
    directory = artifacts_dir(tmp_path)
    shots: dict[str, Path] = {}

    async def screenshot(page: Page, name: str) -> None:
        await traffic.settle(page)
        shots[name] = directory / f'support-loop-{name}.png'
        await page.screenshot(path=str(shots[name]), full_page=True)
        print(f'screenshot: {shots[name]}')

    traffic = Traffic()
    admin, agent, customer = [traffic.watch(await e2e_new_page()) for _ in range(3)]

    # 1. The admin creates an agent in Admin → Users; the agent signs in and keeps the inbox open.
    await sign_in(admin, *ADMIN)
    await create_agent(admin, agent_name)
    await sign_in(agent, agent_name, PASSWORD)
    await nav(agent).get_by_role('link', name='Inbox', exact=True).click()
    await expect(agent.get_by_role('heading', name='Inbox', level=1)).to_be_visible(timeout=WAIT)
    before = await open_count(agent)
    await agent.evaluate('window.__no_reload = 42')

    # 2. The customer registers, opens "Support", writes with a picture attached and sends.
    await customer.goto('/requests')
    await register(customer, customer_name)
    await nav(customer).get_by_role('link', name='Support', exact=True).click()
    await expect(customer.get_by_role('heading', name='Support', level=1)).to_be_visible(timeout=WAIT)
    await message_box(customer).fill(question)
    await attach(customer, picture)
    await customer.get_by_role('button', name='Send', exact=True).click()
    await expect(customer.get_by_text(question, exact=True)).to_be_visible(timeout=WAIT)
    await expect(message_box(customer)).to_have_value('', timeout=WAIT)
    await expect(customer.get_by_label(f'Remove {picture.name}')).to_have_count(0, timeout=WAIT)
    assert await loaded_width(customer, picture.name) == 64
    mine = bubble(customer, question)
    await expect(mine).to_have_count(1, timeout=WAIT)
    await customer.evaluate('window.__no_reload = 42')

    # 3. The ticket appears in the agent's inbox without a reload, and the open count goes up.
    row_link = agent.get_by_role('link', name=question, exact=True)
    await expect(row_link).to_be_visible(timeout=WAIT)
    await expect(agent.get_by_text(f'All open · {before + 1}', exact=True)).to_be_visible(timeout=WAIT)
    row = agent.get_by_role('listitem').filter(has=row_link)  # the desk's list: one item per ticket
    await expect(row).to_contain_text(customer_name, timeout=WAIT)
    await expect(row.get_by_label('Unread')).to_be_visible(timeout=WAIT)
    assert await agent.evaluate('window.__no_reload') == 42
    await expect(stamp(mine)).to_have_text(re.compile(r' · Sent$'))  # nobody from support has looked yet
    await expect(stamp(mine)).to_be_visible()
    await screenshot(agent, 'agent-inbox-light')

    # The agent opens the ticket: the message and the picture, served by /files/{id} to staff.
    await row_link.click()
    await expect(agent).to_have_url(re.compile(r'/inbox/\d+$'), timeout=WAIT)  # the desk: the ticket beside the list
    ticket_path = re.sub(r'^https?://[^/]+', '', agent.url)
    await expect(agent.get_by_role('heading', name=question, level=2)).to_be_visible(timeout=WAIT)
    await expect(bubble(agent, question)).to_have_count(1, timeout=WAIT)
    assert await loaded_width(agent, picture.name) == 64

    # 4 (receipt). The customer's own message now says "Read", live.
    await expect(stamp(mine)).to_have_text(re.compile(r' · Read$'), timeout=WAIT)

    # The agent adds an internal note with a file, then replies with another text file.
    await message_box(agent).fill(note)
    await attach(agent, secret)
    await agent.get_by_role('button', name='Add internal note').click()
    note_bubble = bubble(agent, note)
    await expect(note_bubble).to_be_visible(timeout=WAIT)
    await expect(note_bubble).to_contain_text('Internal note')
    note_href = await note_bubble.get_by_role('link', name=secret.name, exact=True).get_attribute('href')
    assert note_href is not None and re.fullmatch(r'/files/\d+', note_href), note_href
    await expect(message_box(agent)).to_have_value('', timeout=WAIT)

    await message_box(agent).fill(answer)
    await attach(agent, steps)
    await agent.get_by_role('button', name='Reply', exact=True).click()
    await expect(bubble(agent, answer)).to_be_visible(timeout=WAIT)
    await expect(message_box(agent)).to_have_value('', timeout=WAIT)
    await expect(agent.get_by_label(f'Remove {steps.name}')).to_have_count(0, timeout=WAIT)
    await expect(agent.get_by_text(f'{agent_name} attached {steps.name}')).to_be_visible(timeout=WAIT)  # timeline

    # 4. The customer sees the reply and its file (name and size) live, never the note.
    reply = bubble(customer, answer)
    await expect(reply).to_be_visible(timeout=WAIT)
    file_link = reply.get_by_role('link', name=steps.name, exact=True)
    await expect(file_link).to_be_visible(timeout=WAIT)
    await expect(reply.get_by_text(f'({len(steps_bytes)} B)', exact=True)).to_be_visible(timeout=WAIT)
    await expect(customer.get_by_text(note)).to_have_count(0)
    await expect(customer.get_by_text('Internal note')).to_have_count(0)
    await expect(customer.get_by_text(secret.name)).to_have_count(0)
    assert await customer.evaluate('window.__no_reload') == 42
    href = await file_link.get_attribute('href')
    assert href is not None and re.fullmatch(r'/files/\d+', href), href

    # A plain message is shown exactly as typed on both sides, whatever it holds: never markup, never evaluated.
    hostile = '{{ 6 * 7919 }} "quoted" & </div><img src=x onerror="window.__xss = 1"> \u2028done'
    await message_box(customer).fill(hostile)
    await customer.get_by_role('button', name='Send', exact=True).click()
    for page in (customer, agent):
        await expect(bubble(page, hostile)).to_have_count(1, timeout=WAIT)
        # 6 * 7919: what evaluating it would show, a number no clock or generated name shows (42 matched 05:42)
        await expect(page.get_by_text(re.compile(r'\b47514\b'))).to_have_count(0)
        assert await page.evaluate('window.__xss') is None

    # 5. The customer's download has the agent's bytes; anyone else gets a 404 for the same address.
    async with customer.expect_download(timeout=WAIT) as download_info:
        await file_link.click()  # opens a new tab that turns into a download
    download = await download_info.value
    assert download.suggested_filename == steps.name
    assert await asyncio.to_thread(Path(await download.path()).read_bytes) == steps_bytes
    response = await customer.request.get(href)  # the same with the customer's cookies, to see the headers
    assert response.status == 200, response.status
    assert await response.body() == steps_bytes
    assert response.headers['content-disposition'].startswith('attachment'), response.headers
    assert steps.name in response.headers['content-disposition']
    assert (await agent.request.get(note_href)).status == 200  # the note's file: staff only
    assert (await customer.request.get(note_href)).status == 404

    stranger = traffic.watch(await e2e_new_page())
    image_href = await agent.get_by_role('link', name=picture.name).get_attribute('href')
    for address in (href, image_href):
        assert (await stranger.request.get(address)).status == 404, address  # not signed in
    other_customer = traffic.watch(await e2e_new_page())
    await sign_in(other_customer, 'user', 'password')
    for address in (href, image_href):
        assert (await other_customer.request.get(address)).status == 404, address  # another customer

    # 6. Screenshots of both sides, light; the agent's ticket again in dark mode.
    await screenshot(customer, 'customer-support-light')
    await screenshot(agent, 'agent-ticket-light')
    dark_context = await e2e_browser.new_context(base_url=e2e_server, locale='en-US', color_scheme='dark',
                                                 viewport={'width': 1280, 'height': 900})
    try:
        dark_context.set_default_timeout(WAIT)
        dark = traffic.watch(await dark_context.new_page())
        await sign_in(dark, agent_name, PASSWORD, then=ticket_path)
        await expect(bubble(dark, answer)).to_be_visible(timeout=WAIT)
        await expect(dark.locator('body.body--dark')).to_have_count(1, timeout=WAIT)
        assert await loaded_width(dark, picture.name) == 64
        await screenshot(dark, 'agent-ticket-dark')
        await traffic.settle(admin, agent, customer, stranger, other_customer, dark)  # before any context closes
    finally:
        await dark_context.close()
