"""Files on both databases: limits before storing, generated names with checksums, permission-checked downloads."""

from __future__ import annotations

import hashlib

import pytest

from domain.desk import Desk
from domain.errors import InvalidInput, NotFound, PermissionDenied
from domain.files import MB, Upload
from tests.factories import make_request, make_user

PNG = b'\x89PNG\r\n\x1a\n' + b'\x00' * 64


def stored_files(desk: Desk) -> list[str]:
    return sorted(path.name for path in desk.files.store.root.rglob('*') if path.is_file())


async def test_a_file_is_stored_under_a_generated_name_with_its_checksum(desk: Desk) -> None:
    customer = await make_user(desk)
    message = await desk.support.write(actor_id=customer.id, text='see attached',
                                       files=[Upload('screen shot.png', PNG, 'image/png')])
    [attachment] = message.attachments
    assert (attachment.filename, attachment.content_type, attachment.size) == ('screen shot.png', 'image/png', len(PNG))
    assert attachment.sha256 == hashlib.sha256(PNG).hexdigest()
    [name] = stored_files(desk)
    assert 'screen' not in name and len(name) == 32
    chat = await desk.support.chat(viewer_id=customer.id)
    assert chat.threads[0].messages[0].attachments == (attachment,)
    _attachment, path = await desk.files.open(viewer_id=customer.id, attachment_id=attachment.id)
    assert path.read_bytes() == PNG


async def test_a_file_alone_is_a_message(desk: Desk) -> None:
    customer = await make_user(desk)
    message = await desk.support.write(actor_id=customer.id, text='  ', files=[Upload('notes.txt', b'hello')])
    assert message.body == '' and message.attachments[0].content_type == 'text/plain'


@pytest.mark.parametrize('upload, reason', [
    (Upload('big.pdf', b'x' * (10 * MB + 1)), 'larger than 10.0 MB'),
    (Upload('virus.exe', b'MZ'), 'not accepted'),
    (Upload('page.html', b'<script>', 'text/plain'), 'not accepted'),  # the name decides, not the claim
    (Upload('empty.txt', b''), 'is empty'),
])
async def test_refused_files_say_why_and_nothing_is_stored(desk: Desk, upload: Upload, reason: str) -> None:
    customer = await make_user(desk)
    with pytest.raises(InvalidInput, match=reason) as refused:
        await desk.support.write(actor_id=customer.id, text='kept text', files=[upload])
    assert refused.value.field == 'files'
    assert stored_files(desk) == []
    assert (await desk.support.chat(viewer_id=customer.id)).threads == []


async def test_a_refused_post_removes_the_files_it_stored(desk: Desk) -> None:
    author, stranger = await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author)
    with pytest.raises(PermissionDenied):
        await desk.conversations.post(actor_id=author.id, request_id=request_id, text='own request',
                                      files=[Upload('a.txt', b'a')])
    assert stored_files(desk) == []
    message = await desk.conversations.post(actor_id=stranger.id, request_id=request_id, text='ok',
                                            files=[Upload('b.txt', b'b')])
    assert len(message.attachments) == 1 and len(stored_files(desk)) == 1


async def test_downloads_follow_the_conversations_permissions(desk: Desk) -> None:
    alice, bob = await make_user(desk), await make_user(desk)
    agent = await make_user(desk, role='agent')
    message = await desk.support.write(actor_id=alice.id, text='invoice', files=[Upload('invoice.pdf', b'%PDF-1')])
    attachment_id = message.attachments[0].id
    chat = await desk.support.chat(viewer_id=alice.id)
    assert chat.open_ticket_id is not None
    note = await desk.tickets.reply(actor_id=agent.id, request_id=chat.open_ticket_id, text='internal', note=True,
                                    files=[Upload('internal.txt', b'secret')])
    await desk.files.open(viewer_id=alice.id, attachment_id=attachment_id)
    await desk.files.open(viewer_id=agent.id, attachment_id=attachment_id)
    await desk.files.open(viewer_id=agent.id, attachment_id=note.attachments[0].id)
    for viewer_id, file_id in [(bob.id, attachment_id), (None, attachment_id), (alice.id, note.attachments[0].id),
                               (alice.id, 987654)]:
        with pytest.raises(NotFound):
            await desk.files.open(viewer_id=viewer_id, attachment_id=file_id)
    timeline = await desk.tickets.timeline(viewer_id=agent.id, request_id=chat.open_ticket_id)
    assert [e.data.get('name') for e in timeline if e.kind == 'file.attached'] == ['invoice.pdf', 'internal.txt']


async def test_the_timeline_lists_a_message_before_its_files(desk: Desk) -> None:
    customer, agent = await make_user(desk), await make_user(desk, role='agent')
    await desk.support.write(actor_id=customer.id, text='see', files=[Upload('a.txt', b'a')])
    ticket_id = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket_id is not None
    await desk.tickets.reply(actor_id=agent.id, request_id=ticket_id, text='n', note=True,
                             files=[Upload('b.txt', b'b')])
    kinds = [e.kind for e in await desk.tickets.timeline(viewer_id=agent.id, request_id=ticket_id)]
    assert kinds == ['request.created', 'message.posted', 'file.attached', 'note.added', 'file.attached']
