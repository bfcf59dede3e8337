"""What a person does in the browser tests: register, sign in, write, attach, read stamps, watch the traffic."""

from __future__ import annotations

import asyncio
import os
import re
import struct
import zlib
from pathlib import Path

import pytest

async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')
Page, expect = async_api.Page, async_api.expect

WAIT = 10_000  # ms; every wait is an expect(...) with this bound, never a sleep
PASSWORD = 'correct horse battery'


def header(page: Page):
    return page.get_by_role('banner')


def nav(page: Page, name: str = 'Navigation'):
    """The drawer's list of pages (beside the page from 1024 px; behind the header's menu button below)."""
    return page.get_by_role('navigation', name=name)


def account_button(page: Page, name: str):
    """The header's user menu button, named by the user's display name (only its icon shows on a phone)."""
    return header(page).get_by_role('button', name=name, exact=True)


async def go(page: Page, link: str, path: str) -> None:
    """Follow the drawer's link `link`, opening the drawer with the menu button first where it is closed."""
    target = nav(page).get_by_role('link', name=link, exact=True)
    if not await target.is_visible():
        await header(page).get_by_role('button', name='Menu').click()
    await target.click()
    await expect(page).to_have_url(re.compile(re.escape(path) + '$'), timeout=WAIT)


async def user_menu(page: Page, name: str, item: str) -> None:
    """Open the user menu under `name` in the header and choose `item` (Profile, Sign out, a language...)."""
    await account_button(page, name).click()
    await page.get_by_role('menu').get_by_text(item, exact=True).click()


def message_box(page: Page):
    return page.get_by_role('textbox', name='Message')


def attach_button(page: Page):
    """The paper clip inside the message box."""
    return page.get_by_role('button', name='Attach files')


def bubble(page: Page, text: str):
    """The chat bubble holding a message's text."""
    return page.locator('.q-message').filter(has=page.get_by_text(text, exact=True))


def stamp(message):
    """The stamp shown under a bubble (Quasar renders one per part, text and picture, but shows only the last)."""
    return message.locator('.q-message-stamp').last


def png(width: int, height: int) -> bytes:
    """A small valid RGB PNG: a blue-to-red gradient, so the preview visibly shows something."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b''.join(b'\x00' + b''.join(bytes((x * 255 // width, 80, 255 - x * 255 // width)) for x in range(width))
                    for _y in range(height))
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))


async def sign_in(page: Page, username: str, password: str, *, then: str = '/requests') -> None:
    """Sign in on a fresh page, landing on `then` (no page.goto right after: it would abort what still loads)."""
    await page.goto(f'/login?redirect_to={then}')
    await page.get_by_label('Username', exact=True).fill(username)
    await page.get_by_label('Password', exact=True).fill(password)
    await page.get_by_role('button', name='Sign in', exact=True).click()
    await expect(account_button(page, username)).to_be_visible(timeout=WAIT)
    await expect(page).to_have_url(re.compile(re.escape(then) + '$'), timeout=WAIT)


async def register(page: Page, username: str) -> None:
    """From the board: "Create account" in the header, fill the form, end up signed in on the board."""
    await header(page).get_by_role('link', name='Create account', exact=True).click()
    await expect(page).to_have_url(re.compile(r'/register'), timeout=WAIT)
    await page.get_by_label('Username', exact=True).fill(username)
    await page.get_by_label('Password', exact=True).fill(PASSWORD)
    await page.get_by_label('Repeat password', exact=True).fill(PASSWORD)
    await page.get_by_role('button', name='Create account', exact=True).click()
    await expect(account_button(page, username)).to_be_visible(timeout=WAIT)
    await expect(page).to_have_url(re.compile(r'/requests$'), timeout=WAIT)
    await expect(page.get_by_role('button', name='New request')).to_be_visible(timeout=WAIT)


async def create_agent(page: Page, username: str) -> None:
    """As the admin: Users in the drawer, "New user", role Agent."""
    await go(page, 'Users', '/admin/users')
    await page.get_by_role('button', name='New user').click()
    dialog = page.get_by_role('dialog')
    await expect(dialog).to_be_visible(timeout=WAIT)
    await dialog.get_by_label('Username', exact=True).fill(username)
    await dialog.get_by_label('Password', exact=True).fill(PASSWORD)
    await dialog.get_by_role('combobox', name='Role').click()
    await page.get_by_role('option', name='Agent', exact=True).click()
    await expect(dialog.get_by_role('combobox', name='Role')).to_have_value('Agent', timeout=WAIT)
    await dialog.get_by_role('button', name='Create', exact=True).click()
    await expect(dialog).to_be_hidden(timeout=WAIT)
    await expect(page.get_by_text(f'User {username} created.')).to_be_visible(timeout=WAIT)
    await expect(page.get_by_role('combobox', name=f'Role of {username}')).to_have_value('Agent', timeout=WAIT)


async def open_count(page: Page) -> int:
    chip = page.get_by_text(re.compile(r'^All open · \d+$'))
    await expect(chip).to_be_visible(timeout=WAIT)
    return int((await chip.inner_text()).rsplit('·', 1)[1])


async def choose_files(page: Page, *paths: Path) -> None:
    """Press the paper clip and choose `paths` in the file dialog it opens."""
    async with page.expect_file_chooser(timeout=WAIT) as chooser:
        await attach_button(page).click()
    await (await chooser.value).set_files(list(paths))


async def attach(page: Page, path: Path) -> None:
    await choose_files(page, path)
    # Uploaded to the server and chosen for the next message: a removable chip names it.
    await expect(page.get_by_label(f'Remove {path.name}')).to_be_visible(timeout=WAIT)


async def loaded_width(page: Page, name: str) -> int:
    """The natural width of the picture named `name` once the browser has loaded it (0 if it never loads)."""
    image = page.get_by_role('img', name=name)  # Quasar's q-img: a role=img wrapper around the <img> itself
    await expect(image).to_be_visible(timeout=WAIT)
    element = await image.evaluate_handle('el => el.tagName === "IMG" ? el : el.querySelector("img")')
    await page.wait_for_function('img => img !== null && img.complete', arg=element, timeout=WAIT)
    width = await element.evaluate('img => img.naturalWidth')
    if width:  # q-img fades the picture in; wait for the end so that screenshots show it as people see it
        await page.wait_for_function('img => getComputedStyle(img).opacity === "1"', arg=element, timeout=WAIT)
    return width


class Traffic:
    """The HTTP requests the browser pages have in flight.

    A request the browser abandons (a web font a screenshot made the page fetch when its context closes, a
    component module when page.goto leaves the page) makes the server log "RuntimeError: No response returned."
    from NiceGUI's BaseHTTPMiddleware stack (Starlette issue #2516), which the e2e_server fixture counts as a
    failure; so the test lets the traffic settle before any context closes.
    """

    def __init__(self) -> None:
        self.inflight: set[object] = set()
        self.idle = asyncio.Event()
        self.idle.set()

    def watch(self, page: Page) -> Page:
        page.context.on('request', self._started)
        page.context.on('requestfinished', self._ended)
        page.context.on('requestfailed', self._ended)
        return page

    def _started(self, request: object) -> None:
        self.inflight.add(request)
        self.idle.clear()

    def _ended(self, request: object) -> None:
        self.inflight.discard(request)
        if not self.inflight:
            self.idle.set()

    async def settle(self, *pages: Page) -> None:
        await asyncio.gather(*(page.evaluate('document.fonts.ready.then(() => null)') for page in pages))
        try:
            await asyncio.wait_for(self.idle.wait(), WAIT / 1000)
        except TimeoutError:
            pytest.fail(f'requests still in flight: {[getattr(r, "url", r) for r in self.inflight]}')


def artifacts_dir(tmp_path: Path) -> Path:
    directory = Path(os.environ['E2E_ARTIFACTS']) if os.environ.get('E2E_ARTIFACTS') else tmp_path / 'artifacts'
    directory.mkdir(parents=True, exist_ok=True)
    return directory
