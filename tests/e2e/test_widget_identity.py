"""The chat widget on another site (127.0.0.2) becoming someone, end to end, in Chromium against the real app:

- nobody is online: the widget says so and takes an email; the visitor leaves; an agent's reply reaches a local
  SMTP server (aiosmtpd), and the visitor finds it in the widget when they come back;
- signing in inside the widget joins that history to the account (the desk shows the account as the author);
- the host site's user, signed with the widget's secret, finds one chat in two browsers; a forged signature is
  refused in words and sees none of it.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.widgets.identity import signature
from tests.e2e.conftest import app_server
from tests.e2e.steps import WAIT, message_box
from tests.e2e.test_widget_embed import ADMIN, api, host_page, host_site, widget_frame
from tests.fakes.smtp import SmtpServer

pytestmark = pytest.mark.e2e
async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')
Page, expect = async_api.Page, async_api.expect

RECONNECT_TIMEOUT = 10.0  # s, main.py's: a closed frame counts as the visitor's until NiceGUI deletes its client


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def mailing_server(tmp_path: Path, smtp: SmtpServer) -> Iterator[str]:
    """The app with notification email through the local SMTP server."""
    env = {'SMTP_HOST': smtp.host, 'SMTP_PORT': str(smtp.port), 'SMTP_FROM': 'Switchboard <desk@switchboard.test>'}
    with app_server(tmp_path, env=env) as base_url:
        yield base_url


async def test_offline_email_sign_in_and_verified_identity_on_another_site(e2e_browser, mailing_server: str,
                                                                           smtp: SmtpServer) -> None:
    tag = uuid.uuid4().hex[:6]
    question, answer = f'Is the red one back in stock? ({tag})', f'Yes, since this morning ({tag}).'
    token = str(api(mailing_server, '/auth/token', {'username': ADMIN[0], 'password': ADMIN[1]})['access_token'])
    support = next(q['id'] for q in api(mailing_server, '/queues', token=token)['items']  # type: ignore[union-attr]
                   if q['name'] == 'Support')
    pages: dict[str, str] = {}
    with host_site(pages) as site:
        widget = api(mailing_server, '/widgets', {'name': 'Acme help', 'queue_id': support, 'origins': [site],
                                                  'greeting': 'Hi! Ask us anything.', 'email_field': 'optional'},
                     token)
        snippets, secret = widget['snippets'], str(widget['secret'])
        assert isinstance(snippets, dict)
        pages['/'] = host_page(snippets['script'])

        def as_user(user_id: str, hash_: str) -> str:
            return host_page(snippets['identified_script'].replace('USER_ID', user_id).replace('NAME', 'Ann Lee')
                             .replace('EMAIL', 'ann@shop.example').replace('HASH', hash_))
        pages['/ann'] = as_user('ann-1', signature(secret, 'ann-1'))
        pages['/forged'] = as_user('ann-1', signature('a guessed secret', 'ann-1'))

        async def open_chat(path: str, context=None):  # type: ignore[no-untyped-def]
            context = context or await e2e_browser.new_context(locale='en-US')
            context.set_default_timeout(WAIT)
            page = await context.new_page()
            await page.goto(f'{site}{path}')
            await page.locator('button[data-switchboard-widget=launcher]').click()
            chat = widget_frame(page)
            await expect(chat.get_by_text('Hi! Ask us anything.')).to_be_visible()
            return context, page, chat

        # Nobody is online (the admin only used the API): the widget says so; the visitor leaves an email.
        context, visitor, chat = await open_chat('/')
        await expect(chat.get_by_text('Nobody is online right now.', exact=False)).to_be_visible()
        await chat.get_by_label('Your email', exact=True).fill('visitor@shop.example')
        await message_box(chat).fill(question)  # type: ignore[arg-type]
        await message_box(chat).press('Enter')  # type: ignore[arg-type]
        await expect(chat.locator('.q-message').filter(has_text=question)).to_have_count(1)
        await visitor.close()  # gone; the browser keeps the token in the shop's storage
        await asyncio.sleep(RECONNECT_TIMEOUT + 1)  # until the desk forgets the closed frame (not a measurement)
        tickets = api(mailing_server, '/tickets?limit=100', token=token)['items']
        [ticket] = [item for item in tickets if item['title'] == question]  # type: ignore[index,union-attr]
        api(mailing_server, f'/tickets/{ticket["id"]}/replies', {'text': answer}, token)  # type: ignore[index]
        for _ in range(100):  # the job queue sends it within moments
            if smtp.mailbox.to('visitor@shop.example'):
                break
            await asyncio.sleep(0.1)
        [mail] = smtp.mailbox.to('visitor@shop.example')
        assert answer in mail.get_content() and mail['Subject'] == f'Answer to your question: {question}'

        # The visitor comes back: the answer is in the widget. They sign in inside it: the history joins the account.
        _context, visitor, chat = await open_chat('/', context)
        await expect(chat.locator('.q-message').filter(has_text=answer)).to_have_count(1)
        await chat.get_by_role('button', name='Sign in').first.click()
        await chat.get_by_label('Username', exact=True).fill('user')
        await chat.get_by_label('Password', exact=True).fill('password')
        await chat.get_by_role('button', name='Sign in').last.click()
        await expect(chat.get_by_text('Signed in as user')).to_be_visible()
        await expect(chat.locator('.q-message').filter(has_text=question)).to_have_count(1)
        await expect(chat.locator('.q-message').filter(has_text=answer)).to_have_count(1)
        read = api(mailing_server, f'/tickets/{ticket["id"]}', token=token)  # type: ignore[index]
        assert read['author'] == 'user'  # one customer in the desk

        # The shop's signed-in user: one chat in two browsers; a forged signature is refused and sees nothing.
        _laptop, _page, on_laptop = await open_chat('/ann')
        await message_box(on_laptop).fill(f'From my laptop ({tag})')  # type: ignore[arg-type]
        await message_box(on_laptop).press('Enter')  # type: ignore[arg-type]
        await expect(on_laptop.locator('.q-message').filter(has_text=f'From my laptop ({tag})')).to_have_count(1)
        _phone, _page, on_phone = await open_chat('/ann')
        await expect(on_phone.locator('.q-message').filter(has_text=f'From my laptop ({tag})')).to_have_count(1)
        _forger, _page, forged = await open_chat('/forged')
        await expect(forged.get_by_text('This site could not confirm who you are, so you chat as a guest.')) \
            .to_be_visible()
        await expect(forged.locator('.q-message').filter(has_text=f'From my laptop ({tag})')).to_have_count(0)
