"""Make the README tour's screenshots (docs/tour-*.png): the local demo, driven in Chromium as a person would."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from demo_server import PASSWORD, Failed, server_errors, start_server, step, stop_server, wait_until_ready
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / 'docs'
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
                 '--disable-sync', '--no-first-run']
DESKTOP, PHONE = {'width': 1280, 'height': 800}, {'width': 390, 'height': 844}
WAIT = 30_000  # ms for every expectation in the browser

REQUEST = 'Projector in room 4 flickers'  # seeded by domain/demo.py
RESPONSE = 'Is it the ceiling projector? Mine in room 6 did the same until the lamp was replaced.'
ANSWER = 'Yes, the ceiling one. Thanks, I will ask for a new lamp.'
QUESTION = 'My laptop no longer connects to the office Wi-Fi since this morning.'
REPLY = 'Sorry about that! Which building are you in? We are resetting the access points there now.'
OTHER_QUESTION = 'Can I get a second monitor for my desk?'
# A chat-born ticket's title is its first line cut at a word (the full text stays its first message).
QUESTION_TITLE = re.compile('^' + re.escape('My laptop no longer connects to the office'))


def new_page(browser: Browser, base_url: str, viewport: dict[str, int] = DESKTOP) -> Page:
    phone = viewport == PHONE
    context = browser.new_context(base_url=base_url, viewport=viewport, device_scale_factor=1, locale='en-US',
                                  color_scheme='light', is_mobile=phone, has_touch=phone)
    context.set_default_timeout(WAIT)
    return context.new_page()


def header(page: Page) -> Locator:
    return page.get_by_role('banner')


def bubble(page: Page, text: str) -> Locator:
    return page.locator('.q-message').filter(has=page.get_by_text(text, exact=True))


def account_button(page: Page, name: str) -> Locator:
    """The header's user menu button, named by the user's display name."""
    return header(page).get_by_role('button', name=name, exact=True)


def nav(page: Page) -> Locator:
    """The drawer's list of pages: beside the page on a wide screen, behind the header's menu button on a phone."""
    return page.get_by_role('navigation', name='Navigation')


def sign_in(page: Page, username: str) -> None:
    """Open the app, which shows the sign-in form to a visitor; fill it in; land on the board."""
    page.goto('/')
    page.get_by_label('Username', exact=True).fill(username)
    page.get_by_label('Password', exact=True).fill(PASSWORD)
    page.get_by_role('button', name='Sign in', exact=True).click()
    expect(account_button(page, username)).to_be_visible()
    expect(page.get_by_role('heading', name='Requests', exact=True)).to_be_visible()


def go(page: Page, link: str, path: str) -> None:
    """Follow a link of the drawer (opened with the menu button first where it is closed)."""
    target = nav(page).get_by_role('link', name=link, exact=True)
    if not target.is_visible():
        header(page).get_by_role('button', name='Menu').click()
    target.click()
    expect(page).to_have_url(re.compile(re.escape(path) + '$'))


def write(page: Page, text: str, button: str = 'Send') -> None:
    page.get_by_role('textbox', name='Message').fill(text)
    page.get_by_role('button', name=button, exact=True).click()
    expect(bubble(page, text)).to_be_visible()


def shoot(page: Page, out: Path, name: str, *shown: Locator) -> None:
    """Once the page shows what it should, with no toast and no "connection lost", save out/tour-<name>.png."""
    for locator in shown:
        expect(locator).to_be_visible()
    expect(page).not_to_have_url(re.compile(r'/login'))
    toasts = page.locator('.q-notification')
    try:
        expect(toasts).to_have_count(0)  # toasts go after 5 s; none belongs in a picture
    except AssertionError:
        raise AssertionError(f'a notice stays on the page: {toasts.all_inner_texts()}') from None
    expect(page.locator('#popup')).to_be_hidden()  # NiceGUI's "Connection lost" notice
    page.evaluate('() => document.fonts.ready.then(() => true)')
    viewport = page.viewport_size or DESKTOP
    page.mouse.move(viewport['width'] - 1, viewport['height'] - 1)  # no hover highlight or tooltip
    page.wait_for_timeout(600)  # Quasar's transitions (ripples, fades) end
    page.screenshot(path=out / f'tour-{name}.png', animations='disabled', caret='hide')


def tour(browser: Browser, base_url: str, out: Path) -> None:
    """Both demo users and a new customer at work, in the order that gives each page something to show."""
    user, admin = new_page(browser, base_url), new_page(browser, base_url)
    with step('user signs in and sees the board'):
        sign_in(user, 'user')
        shoot(user, out, 'board', user.get_by_role('link', name=REQUEST),
              user.get_by_role('link', name='Order more paper for the 2nd floor printer'))
    with step('user responds to a request on the board'):
        user.get_by_role('link', name=REQUEST).click()
        expect(user.get_by_role('heading', name='Conversation with admin')).to_be_visible()
        write(user, RESPONSE)
    with step('admin signs in and answers the response on their request'):
        sign_in(admin, 'admin')
        admin.get_by_role('link', name=REQUEST).click()
        expect(admin.get_by_role('heading', name='Responses (1)')).to_be_visible()
        admin.get_by_role('listitem').filter(has_text=RESPONSE).click()
        expect(bubble(admin, RESPONSE)).to_be_visible()
        write(admin, ANSWER)
    with step('the request page with the conversation, as user'):
        shoot(user, out, 'request', bubble(user, RESPONSE), bubble(user, ANSWER))
    with step('user, and a customer who registers now, write to support'):
        go(user, 'Support', '/support')
        write(user, QUESTION)
        other = new_page(browser, base_url)
        other.goto('/register')
        other.get_by_label('Username', exact=True).fill('dana')
        for label in ('Password', 'Repeat password'):
            other.get_by_label(label, exact=True).fill('dana-tour-password')
        other.get_by_role('button', name='Create account', exact=True).click()
        expect(account_button(other, 'dana')).to_be_visible()
        go(other, 'Support', '/support')
        write(other, OTHER_QUESTION)
        other.context.close()
    with step('the inbox, as admin'):
        go(admin, 'Inbox', '/inbox')
        shoot(admin, out, 'inbox', admin.get_by_role('link', name=QUESTION_TITLE),
              admin.get_by_role('link', name=OTHER_QUESTION))
    with step('admin answers the ticket'):
        admin.get_by_role('link', name=QUESTION_TITLE).click()
        expect(admin).to_have_url(re.compile(r'/inbox/\d+$'))  # the ticket opens beside the list
        write(admin, REPLY, button='Reply')
        shoot(admin, out, 'ticket', admin.get_by_role('heading', name=QUESTION_TITLE), bubble(admin, QUESTION))
    with step('the support chat, as user, with the answer'):
        shoot(user, out, 'support', bubble(user, QUESTION), bubble(user, REPLY))
    with step('Admin → Queues'):
        go(admin, 'Queues', '/admin/queues')
        shoot(admin, out, 'queues', admin.get_by_role('heading', name='Workflows'))
    with step('Rules, with a new rule'):
        go(admin, 'Rules', '/rules')
        admin.get_by_role('button', name='New rule').click()
        dialog = admin.get_by_role('dialog')
        dialog.get_by_label('Name', exact=True).fill('Wi-Fi trouble goes to admin')
        dialog.get_by_role('button', name='Add condition').click()
        dialog.get_by_role('combobox', name='Field').click()
        admin.get_by_role('option', name='Title', exact=True).click()
        dialog.get_by_label('Text', exact=True).fill('Wi-Fi')
        dialog.get_by_role('combobox', name='Agent').click()
        admin.get_by_role('option', name='admin', exact=True).click()
        dialog.get_by_role('button', name='Save', exact=True).click()
        expect(dialog).to_be_hidden()
        shoot(admin, out, 'rules', admin.get_by_text('Wi-Fi trouble goes to admin', exact=True))
    with step('dark mode: the request page as its author, admin, sees it'):
        go(admin, 'Requests', '/requests')
        admin.get_by_role('link', name=REQUEST).click()
        admin.get_by_role('listitem').filter(has_text=ANSWER).click()
        account_button(admin, 'admin').click()
        admin.get_by_role('menu').get_by_text('Dark mode', exact=True).click()
        expect(admin.locator('body.body--dark')).to_have_count(1)
        shoot(admin, out, 'dark', admin.get_by_role('heading', name='Responses (1)'), bubble(admin, RESPONSE),
              bubble(admin, ANSWER))
    with step('the board on a phone, as user'):
        phone = new_page(browser, base_url, PHONE)
        sign_in(phone, 'user')
        shoot(phone, out, 'phone', phone.get_by_role('link', name=REQUEST))
    with step('on a phone, the drawer behind the menu button, as admin'):
        desk = new_page(browser, base_url, PHONE)
        sign_in(desk, 'admin')
        header(desk).get_by_role('button', name='Menu').click()
        shoot(desk, out, 'phone-menu', nav(desk).get_by_role('link', name='Inbox', exact=True))
    with step('a ticket on a phone: one pane at a time'):
        nav(desk).get_by_role('link', name='Inbox', exact=True).click()
        expect(nav(desk)).to_be_hidden()
        desk.get_by_role('list', name='Tickets').get_by_role('link', name=OTHER_QUESTION).click()
        expect(desk).to_have_url(re.compile(r'/inbox/\d+$'))
        shoot(desk, out, 'phone-ticket', desk.get_by_role('heading', name=OTHER_QUESTION), bubble(desk, OTHER_QUESTION))


def run(base_url: str, process: subprocess.Popen[bytes], out: Path) -> None:
    with step(f'start the local demo on {base_url}'):
        wait_until_ready(process, base_url)
    expect.set_options(timeout=WAIT)  # its own default is 5 s, too short for a toast to go on a busy machine
    with sync_playwright() as playwright:
        with step(f'start Chromium ({CHROMIUM})'):
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            tour(browser, base_url, out)
        finally:
            browser.close()


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(f'screenshots.py needs Debian\'s Chromium at {CHROMIUM}: apt-get install -y chromium', file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix='switchboard-tour-') as temp:
        log_path, out = Path(temp) / 'server.log', Path(temp) / 'shots'
        out.mkdir()
        process, base_url = start_server(Path(temp) / 'data', log_path)
        failure: str | None = None
        try:
            run(base_url, process, out)
        except Failed as error:
            failure = str(error)
        finally:  # on any exception, Ctrl+C too
            stop_server(process)
        log_text = log_path.read_text(errors='replace')
        if failure is None and server_errors(log_text):
            failure = 'the server logged an error during the run'
        if failure is not None:  # docs/ keeps the screenshots of the last run that went through
            log = [line for line in log_text.splitlines() if ' switchboard.access ' not in line]  # not each request
            print(f'\nscreenshots.py failed: {failure}\n\nThe server log (requests left out) ends with:\n'
                  + '\n'.join(log[-40:]), file=sys.stderr)
            return 1
        shots = sorted(out.glob('tour-*.png'))
        for shot in shots:
            shutil.copyfile(shot, DOCS / shot.name)
    total = sum((DOCS / shot.name).stat().st_size for shot in shots)
    print(f'{len(shots)} screenshots in docs/, {total / 1024:.0f} kB in all')
    return 0


if __name__ == '__main__':
    sys.exit(main())
