"""Make the README's chat widget screenshots (docs/widget-*.png): the local demo on 127.0.0.1, a shop's page on
127.0.0.2 (another site, so the chat is a third-party frame), driven in Chromium as a visitor would.

    python docs/widget_screenshots.py

Shots: the launcher closed; the chat open with an answer; dark (the snippet's data-theme); Russian (the browser's
language); a 390 px phone; and nobody online (the widget asks for an email).
"""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from demo_server import PASSWORD, Failed, server_errors, start_server, step, stop_server, wait_until_ready
from playwright.sync_api import Browser, FrameLocator, Page, expect, sync_playwright
from screenshots import CHROMIUM, CHROMIUM_ARGS, DOCS, WAIT

SHOP = '127.0.0.2'
QUESTION = 'Hi! Do you ship the blue teapot to Lisbon?'
ANSWER = 'Hello! Yes, it arrives in three to five days, and shipping is free over €40.'
RU_QUESTION = 'Здравствуйте! Есть ли этот чайник в красном цвете?'
RU_ANSWER = 'Добрый день! Да, красный будет на складе в пятницу.'
PHONE = {'width': 390, 'height': 844}
DESKTOP = {'width': 1280, 'height': 800}


def shop_page(snippet: str, dark: bool = False) -> str:
    background, text = ('#1d1f23', '#eee') if dark else ('#f6f3ee', '#222')
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Teapots</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f'<body style="margin:0;font-family:Georgia,serif;background:{background};color:{text}">'
            '<header style="padding:20px 32px;border-bottom:1px solid rgba(128,128,128,.3)">'
            '<b style="font-size:24px">Acme Teapots</b></header><main style="padding:32px;max-width:640px">'
            '<h1 style="font-weight:normal">The blue teapot</h1><p>Hand-glazed stoneware, 1.2 litres. '
            'Keeps tea warm for an hour.</p><p style="font-size:22px">€38</p></main>'
            f'{snippet}</body></html>')


@contextmanager
def shop_site(pages: dict[str, str]) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path.split('?')[0])
            self.send_response(200 if body is not None else 404)
            self.send_header('Content-Type', 'text/html; charset=utf-8')
            self.end_headers()
            self.wfile.write((body or 'not found').encode())

        def log_message(self, *args: object) -> None:
            pass

    with socket.socket() as sock:
        sock.bind((SHOP, 0))
        port = sock.getsockname()[1]
    server = http.server.ThreadingHTTPServer((SHOP, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f'http://{SHOP}:{port}'
    finally:
        server.shutdown()
        server.server_close()


def api(base: str, path: str, body: dict[str, object] | None = None, token: str | None = None) -> dict:
    request = urllib.request.Request(f'{base}/api/v1{path}', data=json.dumps(body).encode() if body else None,
                                     headers={'Content-Type': 'application/json',
                                              **({'Authorization': f'Bearer {token}'} if token else {})})
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=10) as response:
        return json.loads(response.read())


def visitor(browser: Browser, url: str, *, locale: str = 'en-US', viewport: dict[str, int] = DESKTOP,
            dark: bool = False) -> tuple[Page, FrameLocator]:
    phone = viewport == PHONE
    context = browser.new_context(viewport=viewport, device_scale_factor=1, locale=locale,
                                  color_scheme='dark' if dark else 'light', is_mobile=phone, has_touch=phone)
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.goto(url)
    expect(page.locator('button[data-switchboard-widget=launcher]')).to_be_visible()
    return page, page.frame_locator('iframe[data-switchboard-widget=frame]')


def open_chat(page: Page, chat: FrameLocator) -> None:
    page.locator('button[data-switchboard-widget=launcher]').click()
    expect(chat.get_by_role('textbox', name='Message').or_(chat.get_by_role('textbox', name='Сообщение'))) \
        .to_be_visible()


def write(chat: FrameLocator, text: str) -> None:
    box = chat.get_by_role('textbox', name='Message').or_(chat.get_by_role('textbox', name='Сообщение'))
    box.fill(text)
    box.press('Enter')
    expect(chat.locator('.q-message').filter(has_text=text)).to_have_count(1)


def answer(base: str, token: str, question: str, text: str, chat: FrameLocator) -> None:
    [ticket] = [item for item in api(base, '/tickets?limit=100', token=token)['items'] if item['title'] == question]
    api(base, f'/tickets/{ticket["id"]}/replies', {'text': text}, token)
    expect(chat.locator('.q-message').filter(has_text=text)).to_have_count(1)


def shoot(page: Page, path: Path) -> None:
    """Once the icon font is in (else icons are blank boxes) and no toast or transition is left."""
    for frame in page.frames:
        frame.evaluate('document.fonts.ready.then(() => true)')
    expect(page.frame_locator('iframe[data-switchboard-widget=frame]').locator('.q-notification')).to_have_count(0)
    page.mouse.move(1, 1)
    page.wait_for_timeout(600)
    page.screenshot(path=path, animations='disabled', caret='hide')


def shots(browser: Browser, base: str, out: Path) -> None:
    token = str(api(base, '/auth/token', {'username': 'admin', 'password': PASSWORD})['access_token'])
    support = next(q['id'] for q in api(base, '/queues', token=token)['items'] if q['name'] == 'Support')
    pages: dict[str, str] = {}
    with shop_site(pages) as site:
        widget = api(base, '/widgets', {'name': 'Acme Teapots', 'queue_id': support, 'origins': [site],
                                        'greeting': 'Hi! Questions about an order or a teapot? Ask us here.',
                                        'accent': '#00796b', 'email_field': 'optional',
                                        'offline_message': ''}, token)
        script = widget['snippets']['script']
        pages['/'] = shop_page(script)
        pages['/dark'] = shop_page(script.replace('<script ', '<script data-theme="dark" '), dark=True)

        with step('nobody online: the widget asks for an email'):
            page, chat = visitor(browser, f'{site}/')
            open_chat(page, chat)
            expect(chat.get_by_text('Nobody is online right now.', exact=False)).to_be_visible()
            shoot(page, out / 'widget-offline.png')
            page.context.close()
        with step('an agent keeps the desk open'):
            desk = browser.new_context(viewport=DESKTOP).new_page()
            desk.goto(base)
            desk.get_by_label('Username', exact=True).fill('admin')
            desk.get_by_label('Password', exact=True).fill(PASSWORD)
            desk.get_by_role('button', name='Sign in', exact=True).click()
            expect(desk.get_by_role('banner').get_by_role('button', name='admin', exact=True)).to_be_visible()
        with step('closed, then open with an answer'):
            page, chat = visitor(browser, f'{site}/')
            shoot(page, out / 'widget-closed.png')
            open_chat(page, chat)
            expect(chat.get_by_text('Nobody is online right now.', exact=False)).to_be_hidden()
            write(chat, QUESTION)
            answer(base, token, QUESTION, ANSWER, chat)
            shoot(page, out / 'widget-open.png')
        with step('dark'):
            page, chat = visitor(browser, f'{site}/dark', dark=True)
            open_chat(page, chat)
            write(chat, 'Is the lid dishwasher-safe?')
            answer(base, token, 'Is the lid dishwasher-safe?', 'It is; the pot itself is better washed by hand.',
                   chat)
            shoot(page, out / 'widget-dark.png')
        with step('Russian'):
            page, chat = visitor(browser, f'{site}/', locale='ru-RU')
            open_chat(page, chat)
            write(chat, RU_QUESTION)
            answer(base, token, RU_QUESTION, RU_ANSWER, chat)
            shoot(page, out / 'widget-russian.png')
        with step('a 390 px phone'):
            page, chat = visitor(browser, f'{site}/', viewport=PHONE)
            open_chat(page, chat)
            write(chat, 'Can I pick it up in the shop?')
            answer(base, token, 'Can I pick it up in the shop?', 'Yes: Rua Augusta 12, from 10 to 19.', chat)
            shoot(page, out / 'widget-phone.png')


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(f'widget_screenshots.py needs Debian\'s Chromium at {CHROMIUM}', file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix='switchboard-widget-') as temp:
        log_path, out = Path(temp) / 'server.log', Path(temp) / 'shots'
        out.mkdir()
        process, base = start_server(Path(temp) / 'data', log_path)
        failure: str | None = None
        try:
            with step(f'start the local demo on {base}'):
                wait_until_ready(process, base)
            expect.set_options(timeout=WAIT)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                try:
                    shots(browser, base, out)
                finally:
                    browser.close()
        except Failed as error:
            failure = str(error)
        finally:
            stop_server(process)
        log_text = log_path.read_text(errors='replace')
        if failure is None and server_errors(log_text):
            failure = 'the server logged an error during the run'
        if failure is not None:
            print(f'\nwidget_screenshots.py failed: {failure}\n\n' + '\n'.join(log_text.splitlines()[-40:]),
                  file=sys.stderr)
            return 1
        for shot in sorted(out.glob('widget-*.png')):
            shutil.copyfile(shot, DOCS / shot.name)
            print(f'docs/{shot.name}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
