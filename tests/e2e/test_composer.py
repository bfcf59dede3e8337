"""The composer in a real browser: the paper clip opens the file dialog, chosen files show as chips once, a refused
file is named at once, a pasted picture and a dropped file are chosen too, and Send carries the files with the text."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.e2e.steps import WAIT, Traffic, bubble, choose_files, message_box, png, sign_in

pytestmark = pytest.mark.e2e
async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')
Page, expect = async_api.Page, async_api.expect

CUSTOMER = ('user', 'password')  # seeded by the demo on SQLite
# A picture pasted into the box, as the browser hands it over (a ClipboardEvent carrying a file).
PASTE = ('''(box) => { const data = new DataTransfer();
  data.items.add(new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], 'pasted.png', {type: 'image/png'}));
  box.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true})); }''')
# A file dropped on the box, as a drag from the desktop ends.
DROP = ('''(box) => { const data = new DataTransfer(); data.items.add(new File(['dropped'], 'dropped.txt'));
  box.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true})); }''')


async def test_attach_chip_refusal_paste_and_send_on_the_support_chat(e2e_new_page, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    text = f'The scan and the log ({tag})'
    scan, log, program = tmp_path / f'scan-{tag}.png', tmp_path / f'log-{tag}.txt', tmp_path / f'setup-{tag}.exe'
    scan.write_bytes(png(40, 30))
    log.write_bytes(b'x' * 1300)
    program.write_bytes(b'MZ' + bytes(50))
    traffic = Traffic()
    page = traffic.watch(await e2e_new_page())
    await sign_in(page, *CUSTOMER, then='/support')
    await expect(page.get_by_text('Files: up to 10 MB each, 10 at most; images, PDF')).to_be_visible(timeout=WAIT)

    await message_box(page).fill(text)
    await choose_files(page, scan, log, program)
    await expect(page.get_by_label(f'Remove {scan.name}')).to_be_visible(timeout=WAIT)
    await expect(page.get_by_text(f'{log.name} · 1.3 kB', exact=True)).to_be_visible(timeout=WAIT)
    await expect(page.get_by_role('alert').filter(has_text=f'"{program.name}" is not a kind of file')) \
        .to_be_visible(timeout=WAIT)
    await choose_files(page, log)  # the same file again: still one chip
    await message_box(page).evaluate(PASTE)
    await expect(page.get_by_label('Remove pasted.png')).to_be_visible(timeout=WAIT)
    await message_box(page).evaluate(DROP)
    await expect(page.get_by_text('dropped.txt · 7 B', exact=True)).to_be_visible(timeout=WAIT)
    await expect(page.get_by_text(f'{log.name} · 1.3 kB', exact=True)).to_have_count(1)
    await expect(message_box(page)).to_have_value(text)  # nothing typed lost to a refusal
    if os.environ.get('COMPOSER_SHOTS'):  # for looking at it by eye; never in the repository
        await traffic.settle(page)
        await page.screenshot(path=os.path.join(os.environ['COMPOSER_SHOTS'], 'e2e-composer.png'), full_page=True)

    for name in ('pasted.png', 'dropped.txt'):
        await page.get_by_label(f'Remove {name}').click()
        await expect(page.get_by_label(f'Remove {name}')).to_have_count(0, timeout=WAIT)
    await page.get_by_role('button', name='Send', exact=True).click()
    sent = bubble(page, text)
    await expect(sent).to_be_visible(timeout=WAIT)
    await expect(sent).to_have_count(1)
    await expect(sent.get_by_role('link', name=log.name, exact=True)).to_be_visible(timeout=WAIT)
    await expect(sent.get_by_role('img', name=scan.name)).to_be_visible(timeout=WAIT)
    await expect(sent.get_by_text('pasted.png')).to_have_count(0)
    await expect(page.get_by_label(f'Remove {log.name}')).to_have_count(0, timeout=WAIT)
    await expect(message_box(page)).to_have_value('')
    await traffic.settle(page)
