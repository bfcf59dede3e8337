"""NUL characters, which PostgreSQL refuses in text, never reach the database: they are dropped on the way in."""

from __future__ import annotations

import pytest

from domain.desk import Desk
from domain.errors import InvalidInput
from domain.requests.service import RequestQuery
from domain.text import short_title, storable
from tests.factories import make_request, make_user, unique


def test_storable_drops_nul_characters_only() -> None:
    assert storable('a\x00b\x00') == 'ab'
    assert storable('plain text, ü') == 'plain text, ü'


async def test_titles_messages_names_and_searches_with_nul_characters_work(desk: Desk) -> None:
    author, responder = await make_user(desk), await make_user(desk)
    admin = await make_user(desk, role='admin')
    request_id = await desk.requests.create(actor_id=author.id, title='Bro\x00ken', description='de\x00sk')
    view = await desk.requests.open(viewer_id=None, request_id=request_id)
    assert (view.request.title, view.request.description) == ('Broken', 'desk')
    found = await desk.requests.list(viewer_id=None, query=RequestQuery(search='bro\x00ken'))
    assert [row.id for row in found.rows] == [request_id]
    message = await desk.conversations.post(actor_id=responder.id, request_id=await make_request(desk, author),
                                            text='hi\x00')
    assert message.body == 'hi'
    queue_id = await desk.queues.create_queue(actor_id=admin.id, name=unique('Q\x00'), visibility='private',
                                              workflow_id=1)
    assert '\x00' not in next(q.name for q in await desk.queues.list_queues(actor_id=admin.id) if q.id == queue_id)
    assert (await desk.users.browse(actor_id=admin.id, search='\x00', after='\x00')).rows
    with pytest.raises(InvalidInput):
        await desk.accounts.authenticate(username='nobody\x00', password='whatever1')


def test_storable_makes_lone_surrogates_replacement_characters() -> None:
    assert storable('a\ud800b\udfff') == 'a\ufffdb\ufffd'
    assert storable('\U0001f600 stays') == '\U0001f600 stays'


async def test_text_with_lone_surrogates_is_stored_with_replacement_characters(desk: Desk) -> None:
    # A browser's string may hold half of a pair (a cut emoji); neither UTF-8 nor the database can hold it.
    author, responder = await make_user(desk), await make_user(desk)
    request_id = await desk.requests.create(actor_id=author.id, title='cut \ud83d', description='\ude00')
    view = await desk.requests.open(viewer_id=None, request_id=request_id)
    assert (view.request.title, view.request.description) == ('cut \ufffd', '\ufffd')
    message = await desk.conversations.post(actor_id=responder.id, request_id=request_id, text='hi \udc80')
    assert message.body == 'hi \ufffd'


def test_a_short_title_is_the_first_line_cut_at_a_word_with_an_ellipsis() -> None:
    assert short_title('\n  Printer   on fire \nsecond line') == 'Printer on fire'
    assert short_title('word ' * 20) == ' '.join(['word'] * 12) + '…'  # 59 characters, then the ellipsis
    assert short_title('x' * 70) == 'x' * 60 + '…'  # one long word is cut inside it
    assert short_title('exactly sixty ' + 'y' * 46) == 'exactly sixty ' + 'y' * 46
    assert short_title('Привет, у меня ' * 6).endswith('у меня…')
