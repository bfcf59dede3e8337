"""The staff desk in a real browser: three panes at 1280 px, one at a time at 390 px, never a horizontal scroll.

Customers write to support on one real server; the agent picks tickets in /inbox without the page loading again,
replies from the desk, and sees the customer's next message arrive in the open conversation. On a phone the list
gives way to the conversation, the back arrow brings it back, and "Details" shows the context. Screenshots of the
desk with a ticket chosen, light and dark, English and Russian, both widths, go to DESK_SHOTS (default
/tmp/threepane-shots/).
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest

from tests.e2e.steps import WAIT, account_button, bubble, message_box, register
from ui.translations import RU

pytestmark = pytest.mark.e2e
async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')
Page, expect = async_api.Page, async_api.expect

ADMIN = ('admin', 'password')  # seeded by the demo on SQLite
DESKTOP = {'width': 1280, 'height': 900}
PHONE = {'width': 390, 'height': 844}
TABLET = {'width': 900, 'height': 800}  # list | conversation, the context behind "Details"


def shots_dir() -> Path:
    directory = Path(os.environ.get('DESK_SHOTS', '/tmp/threepane-shots'))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


async def new_page(browser, base_url: str, viewport: dict[str, int], *, lang: str = 'en', dark: bool = False) -> Page:
    context = await browser.new_context(base_url=base_url, locale='ru-RU' if lang == 'ru' else 'en-US',
                                        color_scheme='dark' if dark else 'light', viewport=viewport)
    context.set_default_timeout(WAIT)
    return await context.new_page()


async def sign_in(page: Page, username: str, password: str, then: str, *, lang: str = 'en') -> None:
    def t(text: str) -> str:
        return RU.get(text, text) if lang == 'ru' else text
    await page.goto(f'/login?redirect_to={then}')
    await page.get_by_label(t('Username'), exact=True).fill(username)
    await page.get_by_label(t('Password'), exact=True).fill(password)
    await page.get_by_role('button', name=t('Sign in'), exact=True).click()
    await expect(account_button(page, username)).to_be_visible(timeout=WAIT)
    await expect(page).to_have_url(re.compile(re.escape(then) + '$'), timeout=WAIT)


async def write_to_support(page: Page, text: str) -> None:
    await page.goto('/support')
    await message_box(page).fill(text)
    await page.get_by_role('button', name='Send', exact=True).click()
    await expect(bubble(page, text)).to_have_count(1, timeout=WAIT)


async def no_horizontal_scroll(page: Page) -> None:
    width = await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')
    assert width[0] <= width[1], f'scrollWidth {width[0]} > innerWidth {width[1]}'


def ticket_link(page: Page, title: str):
    return page.get_by_role('list', name='Tickets').get_by_role('link', name=title, exact=True)


async def test_the_desk_at_1280_and_390_px(e2e_browser, e2e_server: str) -> None:
    tag = uuid.uuid4().hex[:6]
    question = f'My order {tag} arrived broken'
    later = f'I can send photos of it ({tag})'
    answer = f'Sorry about that, a new one is on its way ({tag}).'
    customer = await new_page(e2e_browser, e2e_server, DESKTOP)
    await sign_in(customer, 'user', 'password', '/requests')
    await write_to_support(customer, question)
    other = await new_page(e2e_browser, e2e_server, DESKTOP)
    await other.goto('/requests')
    await register(other, f'dora_{tag}')
    await write_to_support(other, f'Where do I change my e-mail address? ({tag})')

    # Wide: the list, then a ticket beside it without the page loading again; the URL follows.
    agent = await new_page(e2e_browser, e2e_server, DESKTOP)
    await sign_in(agent, *ADMIN, '/inbox')
    await expect(agent.get_by_role('heading', name='Inbox', level=1)).to_be_visible()
    await expect(agent.get_by_text('Choose a ticket from the list.')).to_be_visible()
    await agent.evaluate('window.__no_reload = 42')
    await ticket_link(agent, question).click()
    await expect(agent).to_have_url(re.compile(r'/inbox/\d+$'))
    ticket_path = re.sub(r'^https?://[^/]+', '', agent.url)
    await expect(agent.get_by_role('heading', name=question, level=2)).to_be_visible()
    await expect(bubble(agent, question)).to_have_count(1)
    await expect(agent.get_by_text("Customer's other tickets").or_(agent.get_by_text('Timeline'))).not_to_have_count(0)
    for pane in ('.sb-desk-list', '.sb-desk-conversation', '.sb-desk-context'):
        await expect(agent.locator(pane)).to_be_visible()
    await no_horizontal_scroll(agent)

    # Reply from the desk; the customer sees it, and their next message arrives in the open conversation.
    await message_box(agent).fill(answer)
    await agent.get_by_role('button', name='Reply', exact=True).click()
    await expect(bubble(agent, answer)).to_have_count(1)
    await expect(bubble(customer, answer)).to_have_count(1, timeout=WAIT)
    await message_box(customer).fill(later)
    await customer.get_by_role('button', name='Send', exact=True).click()
    await expect(bubble(agent, later)).to_have_count(1, timeout=WAIT)
    await expect(agent.get_by_role('listitem').filter(has_text=later)).to_have_count(1, timeout=WAIT)  # preview
    agent_keys = agent.locator('body')
    await agent_keys.press('ArrowDown')  # the next ticket of the list
    await expect(agent).not_to_have_url(re.compile(re.escape(ticket_path) + '$'), timeout=WAIT)
    await expect(agent).to_have_url(re.compile(r'/inbox/\d+$'))
    await agent.go_back()
    await expect(agent).to_have_url(re.compile(re.escape(ticket_path) + '$'))
    await expect(agent.get_by_role('heading', name=question, level=2)).to_be_visible()
    assert await agent.evaluate('window.__no_reload') == 42

    # A phone: one pane at a time; the back arrow returns to the list; "Details" shows the context.
    phone = await new_page(e2e_browser, e2e_server, PHONE)
    await sign_in(phone, *ADMIN, '/inbox')
    await expect(ticket_link(phone, question)).to_be_visible()
    await no_horizontal_scroll(phone)
    await ticket_link(phone, question).click()
    await expect(phone.get_by_role('heading', name=question, level=2)).to_be_visible()
    await expect(ticket_link(phone, question)).to_be_hidden()
    await no_horizontal_scroll(phone)
    await message_box(phone).fill(f'From the phone ({tag})')
    await phone.get_by_role('button', name='Reply', exact=True).click()
    await expect(bubble(phone, f'From the phone ({tag})')).to_have_count(1)
    await phone.get_by_role('button', name='Details').click()
    await expect(phone.locator('.sb-desk-context')).to_be_visible()
    await expect(phone.locator('.sb-desk-conversation')).to_be_hidden()
    await no_horizontal_scroll(phone)
    await phone.screenshot(path=str(shots_dir() / 'desk-390-en-light-context.png'))
    await phone.get_by_role('button', name='Back to the conversation').click()
    await expect(phone.locator('.sb-desk-conversation')).to_be_visible()
    await phone.get_by_role('button', name='Back to the list').click()
    await expect(phone).to_have_url(re.compile(r'/inbox$'))
    await expect(ticket_link(phone, question)).to_be_visible()
    await expect(phone.locator('.sb-desk-conversation')).to_have_count(0)
    await no_horizontal_scroll(phone)
    await phone.screenshot(path=str(shots_dir() / 'desk-390-en-light-list.png'))

    # The desk with this ticket chosen, in every look, for people to judge.
    directory = shots_dir()
    for lang in ('en', 'ru'):
        for dark in (False, True):
            for name, viewport in (('1280', DESKTOP), ('390', PHONE)):
                page = await new_page(e2e_browser, e2e_server, viewport, lang=lang, dark=dark)
                await sign_in(page, *ADMIN, ticket_path, lang=lang)
                await expect(bubble(page, later)).to_have_count(1)
                await no_horizontal_scroll(page)
                await page.wait_for_timeout(500)  # the scroll to the last message is animated
                look = 'dark' if dark else 'light'
                await page.screenshot(path=str(directory / f'desk-{name}-{lang}-{look}.png'))
                await page.context.close()
    tablet = await new_page(e2e_browser, e2e_server, TABLET)
    await sign_in(tablet, *ADMIN, ticket_path)
    await expect(bubble(tablet, later)).to_have_count(1)
    await expect(tablet.locator('.sb-desk-list')).to_be_visible()
    await expect(tablet.locator('.sb-desk-context')).to_be_hidden()
    await no_horizontal_scroll(tablet)
    await tablet.screenshot(path=str(directory / 'desk-900-en-light.png'))
