"""The chat widget on another site, end to end: a host page on 127.0.0.2 embeds the desk on 127.0.0.1.

To the browser the frame is third-party (another site: no SameSite=Lax cookie reaches it, its storage is
partitioned). The visitor opens the launcher and writes; the message arrives live in an agent's inbox; the agent
replies on the ticket and the visitor sees it live; reloading the host page keeps the history; a site that is not
one of the widget's origins cannot frame it. Screenshots (closed, open, dark, Russian, 390 px) go to
/tmp/widget-shots/ (or E2E_ARTIFACTS).
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import threading
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.steps import WAIT, bubble, header, message_box, nav, sign_in
from tests.ports import free_port

pytestmark = pytest.mark.e2e
async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')
Page, expect = async_api.Page, async_api.expect

ADMIN = ('admin', 'password')  # seeded by the demo on SQLite
HOST_SITE = '127.0.0.2'  # another site than the desk's 127.0.0.1, on the same machine
SHOTS = Path(os.environ.get('E2E_ARTIFACTS') or '/tmp/widget-shots')


@contextlib.contextmanager
def host_site(pages: dict[str, str]) -> Iterator[str]:
    """A tiny web server on 127.0.0.2 serving `pages` (path -> HTML): the customer's own website."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split('?')[0])
            self.send_response(200 if body is not None else 404)
            self.send_header('Content-Type', 'text/html; charset=utf-8')
            self.end_headers()
            self.wfile.write((body or 'not found').encode())

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer((HOST_SITE, free_port(HOST_SITE)), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f'http://{HOST_SITE}:{server.server_address[1]}'
    finally:
        server.shutdown()
        server.server_close()


def api(base: str, path: str, body: dict[str, object] | None = None, token: str | None = None) -> dict[str, object]:
    request = urllib.request.Request(f'{base}/api/v1{path}', data=json.dumps(body).encode() if body else None,
                                     headers={'Content-Type': 'application/json',
                                              **({'Authorization': f'Bearer {token}'} if token else {})})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        return json.loads(response.read())


def host_page(snippet: str, title: str = 'Acme shop') -> str:
    return (f'<!doctype html><html><head><title>{title}</title></head>'
            f'<body style="font-family: sans-serif; margin: 0; padding: 24px; background: #f4f1ea">'
            f'<h1>{title}</h1><p>Our products are great.</p>{snippet}</body></html>')


def widget_frame(page: Page):
    return page.frame_locator('iframe[data-switchboard-widget=frame]')


@pytest.fixture
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


async def test_a_visitor_on_another_site_chats_with_an_agent(e2e_browser, e2e_server: str, shots: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    question = f'Do you ship to Lisbon? ({tag})'
    answer = f'Yes, within three days ({tag}).'
    token = str(api(e2e_server, '/auth/token', {'username': ADMIN[0], 'password': ADMIN[1]})['access_token'])
    queues = api(e2e_server, '/queues', token=token)['items']
    support = next(q['id'] for q in queues if q['name'] == 'Support')  # type: ignore[index]
    pages: dict[str, str] = {}
    with host_site(pages) as site, host_site(pages) as stranger:
        widget = api(e2e_server, '/widgets', {'name': 'Acme help', 'queue_id': support, 'origins': [site],
                                              'greeting': 'Hi! Ask us anything.', 'accent': '#7b1fa2'}, token)
        snippets = widget['snippets']
        assert isinstance(snippets, dict)
        pages['/'] = host_page(snippets['script'])
        pages['/dark'] = host_page(snippets['script'].replace('<script ', '<script data-theme="dark" '))
        pages['/framed'] = host_page(snippets['iframe'], 'Embedded')

        async def browser_page(locale: str = 'en-US', width: int = 1280) -> Page:
            context = await e2e_browser.new_context(locale=locale, viewport={'width': width, 'height': 800})
            context.set_default_timeout(WAIT)
            return await context.new_page()

        # The visitor on the shop's site: only the launcher shows.
        visitor = await browser_page()
        await visitor.goto(f'{site}/')
        launcher = visitor.locator('button[data-switchboard-widget=launcher]')
        await expect(launcher).to_be_visible()
        await shoot(visitor, shots / 'closed.png')
        await launcher.click()
        chat = widget_frame(visitor)
        await expect(chat.get_by_text('Hi! Ask us anything.')).to_be_visible()
        await expect(chat.get_by_text('Acme help')).to_be_visible()

        # An agent keeps the inbox open.
        agent = await browser_page()
        await agent.goto(f'{e2e_server}/login')
        await sign_in_at(agent, e2e_server)
        await nav(agent).get_by_role('link', name='Inbox', exact=True).click()
        await expect(agent.get_by_role('heading', name='Inbox', level=1)).to_be_visible()

        # The visitor writes; the ticket appears in the inbox live.
        await visitor.evaluate('document.fonts.ready')
        await message_box(chat).fill(question)  # type: ignore[arg-type]
        await message_box(chat).press('Enter')  # type: ignore[arg-type]
        await expect(chat.locator('.q-message').filter(has_text=question)).to_have_count(1)
        row_link = agent.get_by_role('link', name=question, exact=True)
        await expect(row_link).to_be_visible()
        await shoot(visitor, shots / 'open.png')

        # The agent sees where the visitor is, and replies; the visitor sees it live, and the typing before it.
        await row_link.click()
        await expect(agent.get_by_role('heading', name=question, level=2)).to_be_visible()  # the desk's middle pane
        await expect(agent.get_by_text(f'{site}/', exact=True)).to_be_visible()
        await message_box(chat).fill('And to Porto?')  # type: ignore[arg-type]
        await expect(agent.get_by_text('Customer is typing…')).to_be_visible()
        await message_box(agent).fill(answer[:5])
        await expect(chat.get_by_text('Support is typing…')).to_be_visible()
        await message_box(agent).fill(answer)
        await agent.get_by_role('button', name='Reply', exact=True).click()
        await expect(bubble(agent, answer)).to_be_visible()
        await expect(chat.locator('.q-message').filter(has_text=answer)).to_have_count(1)
        await shoot(agent, shots / 'agent-ticket.png')
        await agent.goto(f'{e2e_server}/admin/widgets')
        await agent.get_by_text('Preview').click()
        await expect(agent.frame_locator('iframe').get_by_text('Hi! Ask us anything.')).to_be_visible()
        await shoot(agent, shots / 'admin-widgets.png')

        # Reloading the host page keeps the history: the loader hands the frame the visitor's token.
        await visitor.reload()
        await visitor.locator('button[data-switchboard-widget=launcher]').click()
        await expect(widget_frame(visitor).locator('.q-message').filter(has_text=answer)).to_have_count(1)
        await expect(widget_frame(visitor).locator('.q-message').filter(has_text=question)).to_have_count(1)

        # The plain iframe works on the widget's site with no script; another site cannot frame it: the browser
        # refuses (frame-ancestors), and the page itself says so when it learns the host page's origin.
        embedded = await browser_page()
        await embedded.goto(f'{site}/framed')
        await expect(embedded.frame_locator('iframe').get_by_text('Hi! Ask us anything.')).to_be_visible()
        outsider = await browser_page()
        await outsider.goto(f'{stranger}/framed')
        await expect(outsider.get_by_role('heading', name='Embedded')).to_be_visible()
        await outsider.wait_for_load_state('load')  # the window's load waits for its frames, a refused one too
        assert [frame.url for frame in outsider.frames[1:]] == ['chrome-error://chromewebdata/']
        await expect(outsider.frame_locator('iframe').get_by_text('Hi! Ask us anything.')).to_have_count(0)
        await outsider.goto(f'{snippets["page_url"]}?origin={stranger}')
        await expect(outsider.get_by_text('This chat is not enabled for this site.')).to_be_visible()
        await expect(outsider.get_by_role('textbox', name='Message')).to_have_count(0)

        # Dark, Russian, and a phone's 390 px.
        dark = await browser_page()
        await dark.goto(f'{site}/dark')
        await dark.locator('button[data-switchboard-widget=launcher]').click()
        await expect(widget_frame(dark).get_by_text('Hi! Ask us anything.')).to_be_visible()
        await shoot(dark, shots / 'dark.png')
        russian = await browser_page(locale='ru-RU')
        await russian.goto(f'{site}/')
        await russian.locator('button[data-switchboard-widget=launcher]').click()
        await expect(widget_frame(russian).get_by_role('button', name='Отправить')).to_be_visible()
        await shoot(russian, shots / 'russian.png')
        phone = await browser_page(width=390)
        await phone.goto(f'{site}/')
        await phone.locator('button[data-switchboard-widget=launcher]').click()
        await expect(widget_frame(phone).get_by_text('Hi! Ask us anything.')).to_be_visible()
        await shoot(phone, shots / 'phone-390.png')


async def shoot(page: Page, path: Path) -> None:
    """A screenshot once the icon font has loaded in the page and its frames (else the icons are blank)."""
    for frame in page.frames:
        await frame.evaluate('document.fonts.ready.then(() => true)')
    await page.screenshot(path=str(path), full_page=True)


async def sign_in_at(page: Page, base: str) -> None:
    await page.get_by_label('Username', exact=True).fill(ADMIN[0])
    await page.get_by_label('Password', exact=True).fill(ADMIN[1])
    await page.get_by_role('button', name='Sign in', exact=True).click()
    await expect(header(page).get_by_role('button', name=ADMIN[0], exact=True)).to_be_visible()


__all__ = ['sign_in']
