"""The composer's files: chips with sizes, listed once, removable; refusals named at once; nothing typed is lost."""

from __future__ import annotations

import asyncio

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from domain.desk import Desk
from domain.files import MB, FileLimits
from tests.ui.steps import eventually, signed_in
from ui.components.attachments import FilePicker, accept, kinds_text, rules_text, size_text
from ui.components.message_block import MessageBlock


async def open_chat(user: User) -> FilePicker:
    await user.open('/support')
    await user.should_see('Write your question below; the support team answers here.')
    return user.find(kind=FilePicker).elements.pop()


async def choose(user: User, picker: FilePicker, name: str, data: bytes, kind: str = '') -> None:
    """As the browser's upload of a chosen file arrives."""
    with user:
        await picker.upload.handle_uploads([SmallFileUpload(name, kind, data)])


async def settled(user: User, desk: Desk) -> None:
    """The send and what it set off (reads of the thread, read markers) are over before the test ends."""
    button = user.find(kind=ui.button, content='Send').elements.pop()
    await eventually(lambda: 'loading' not in button.props)
    await desk.hub.drain()
    await asyncio.sleep(0.1)


def chips(user: User) -> list[str]:
    try:
        return [chip.text for chip in user.find(marker='chosen-file').elements if chip.visible]
    except AssertionError:
        return []


def refusal(picker: FilePicker) -> str:
    return picker.refusal.text if picker.refusal is not None and picker.refusal.visible else ''


async def test_chosen_files_show_once_as_chips_with_their_size_and_go_when_removed(user: User,
                                                                                   running_desk: Desk) -> None:
    await signed_in(user, running_desk)
    picker = await open_chat(user)
    user.find(kind=ui.textarea, content='Message').type('Here are the scans')
    await choose(user, picker, 'scan.png', b'\x89PNG' + bytes(1500), 'image/png')
    await choose(user, picker, 'notes.txt', b'hello')
    await choose(user, picker, 'scan.png', b'\x89PNG' + bytes(1500), 'image/png')  # the same file again
    await eventually(lambda: sorted(chips(user)) == ['notes.txt · 5 B', 'scan.png · 1.5 kB'])

    chip = next(c for c in user.find(marker='chosen-file').elements if c.text.startswith('notes.txt'))
    assert chip.props['remove-aria-label'] == 'Remove notes.txt'
    with user:
        chip.set_value(False)  # its remove button
    await eventually(lambda: chips(user) == ['scan.png · 1.5 kB'])
    assert user.find(kind=ui.textarea, content='Message').elements.pop().value == 'Here are the scans'

    user.find(kind=ui.button, content='Send').click()
    await user.should_see(kind=MessageBlock, content='Here are the scans')
    await eventually(lambda: any('alt="scan.png"' in block.content  # the picture went with the message
                                 for block in user.find(kind=MessageBlock).elements))
    await eventually(lambda: chips(user) == [])
    assert [upload.filename for upload in picker.files] == []
    await settled(user, running_desk)


async def test_a_refused_file_is_named_with_its_reason_at_once_and_nothing_is_lost(user: User,
                                                                                   running_desk: Desk) -> None:
    await signed_in(user, running_desk)
    picker = await open_chat(user)
    user.find(kind=ui.textarea, content='Message').type('Draft I must not lose')
    await choose(user, picker, 'photo.jpg', b'\xff\xd8' + bytes(100), 'image/jpeg')

    # Refused by the browser (the uploader's `accept` and size limit): only the name, size and reason come back.
    user.find(marker='file-picker').trigger('rejected', [{'name': 'setup.exe', 'size': 4096, 'why': 'accept'},
                                                         {'name': 'film.mov', 'size': 15 * MB, 'why': 'max-file-size'}])
    await eventually(lambda: refusal(picker) == '"setup.exe" is not a kind of file this desk accepts.\n'
                                                '"film.mov" is 15.0 MB; files may be up to 10 MB.')
    # Refused by the service when it arrives: an empty file (the same words the API uses).
    await choose(user, picker, 'empty.txt', b'')
    await eventually(lambda: refusal(picker).endswith('"empty.txt" is empty.'))
    await choose(user, picker, 'run.bat', b'@echo off')  # past the browser's check: said in words, not a MIME type
    await eventually(lambda: refusal(picker).endswith('"run.bat" is not a kind of file this desk accepts.'))

    assert chips(user) == ['photo.jpg · 102 B']
    assert user.find(kind=ui.textarea, content='Message').elements.pop().value == 'Draft I must not lose'
    user.find(kind=ui.button, content='Send').click()
    await user.should_see(kind=MessageBlock, content='Draft I must not lose')
    await eventually(lambda: refusal(picker) == '' and chips(user) == [])
    await settled(user, running_desk)


async def test_the_composer_says_what_may_be_attached_and_has_its_attach_button_inside(user: User,
                                                                                        running_desk: Desk) -> None:
    await signed_in(user, running_desk)
    picker = await open_chat(user)
    box = user.find(kind=ui.textarea, content='Message').elements.pop()
    assert box.props['hint'] == 'Files: up to 10 MB each, 10 at most; images, PDF, text, CSV, Word, OpenDocument, ' \
                                'Excel, ZIP.'
    attach = user.find(marker='attach').elements.pop()
    assert attach.parent_slot is not None and attach.parent_slot.parent is box  # in the box's own slot
    accepted = picker.upload.props['accept'].split(',')
    assert '.pdf' in accepted and '.png' in accepted and '.exe' not in accepted
    assert '.bat' not in accepted  # listed for text/plain, but the service reads the name as a program
    assert 'hidden' in picker.upload.classes  # no uploader box with "0.0B / 0.00%"


def test_sizes_and_kinds_read_as_words() -> None:
    assert size_text(1_258_291) == '1.2 MB'
    assert size_text(2048) == '2.0 kB'
    assert size_text(12) == '12 B'
    assert kinds_text({'audio/mpeg', 'image/png', 'image/gif', 'application/pdf'}) == 'images, PDF, MP3'
    assert rules_text(FileLimits(max_bytes=5 * MB, types=frozenset({'application/pdf'}))) == \
        'Files: up to 5 MB each, 10 at most; PDF.'
    assert accept({'application/pdf'}) == '.pdf'
