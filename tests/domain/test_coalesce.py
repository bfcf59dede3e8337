"""Shared reads: concurrent identical reads run once; a change makes the next read run again."""

from __future__ import annotations

import asyncio

import pytest

from domain.coalesce import Coalescer
from domain.desk import Desk
from domain.errors import NotFound
from domain.requests.service import RequestQuery
from tests.domain.statements import sent
from tests.factories import make_request, make_user


async def test_concurrent_identical_reads_run_once_and_a_change_runs_them_again() -> None:
    calls: list[int] = []

    async def load() -> int:
        calls.append(1)
        await asyncio.sleep(0.01)
        return len(calls)

    shared: Coalescer[int] = Coalescer()
    assert await asyncio.gather(*(shared.get('k', load) for _ in range(50))) == [1] * 50
    assert await shared.get('k', load) == 1
    shared.forget()
    assert await shared.get('k', load) == 2


async def test_a_failed_read_is_not_kept() -> None:
    attempts: list[int] = []

    async def load() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError('database away')
        return 7

    shared: Coalescer[int] = Coalescer()
    with pytest.raises(RuntimeError):
        await shared.get('k', load)
    assert await shared.get('k', load) == 7


async def test_the_board_list_is_shared_until_a_request_changes(desk: Desk) -> None:
    author = await make_user(desk)
    first = await desk.requests.list(viewer_id=None, query=RequestQuery())
    again = await desk.requests.list(viewer_id=author.id, query=RequestQuery())
    assert again is first  # the same answer for every viewer of the public board
    request_id = await make_request(desk, author)
    after = await desk.requests.list(viewer_id=None, query=RequestQuery())
    assert [row.id for row in after.rows] == [request_id]
    mine = await desk.requests.list(viewer_id=author.id, query=RequestQuery(mine=True))
    assert mine is not await desk.requests.list(viewer_id=None, query=RequestQuery())


async def test_open_tabs_of_a_conversation_share_one_read_and_each_sees_the_next_message(desk: Desk) -> None:
    author, responder, stranger = await make_user(desk), await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author)
    first = await desk.conversations.post(actor_id=responder.id, request_id=request_id, text='first')
    with sent(desk) as statements:
        tabs = await asyncio.gather(*(
            desk.conversations.messages_after(viewer_id=viewer.id, request_id=request_id,
                                              conversation_id=first.conversation_id, after_id=0)
            for _ in range(25) for viewer in (author, responder)))
    assert all([m.body for m in shown] == ['first'] for shown in tabs)
    assert len(statements) <= 6  # two viewers, the request, the conversation, its messages; not 50 times that

    second = await desk.conversations.post(actor_id=author.id, request_id=request_id, text='second',
                                           conversation_id=first.conversation_id)
    for viewer in (author, responder):  # what each tab asks after the event: nothing stale
        assert [m.id for m in await desk.conversations.messages_after(
            viewer_id=viewer.id, request_id=request_id, conversation_id=first.conversation_id,
            after_id=first.id)] == [second.id]
    with pytest.raises(NotFound):  # the shared answer is still only for those who may read it
        await desk.conversations.messages_after(viewer_id=stranger.id, request_id=request_id,
                                                conversation_id=first.conversation_id, after_id=0)


async def test_unread_totals_and_threads_are_read_once_and_never_stale_after_a_message(desk: Desk) -> None:
    author, responder = await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author)
    first = await desk.conversations.post(actor_id=responder.id, request_id=request_id, text='hello')
    assert await asyncio.gather(*(desk.conversations.unread_total(user_id=author.id) for _ in range(20))) == [1] * 20
    threads = await asyncio.gather(*(desk.conversations.thread(viewer_id=responder.id, request_id=request_id)
                                     for _ in range(20)))
    assert {(t.conversation_id, len(t.messages)) for t in threads} == {(first.conversation_id, 1)}

    await desk.conversations.post(actor_id=responder.id, request_id=request_id, text='anyone?',
                                  conversation_id=first.conversation_id)
    assert await desk.conversations.unread_total(user_id=author.id) == 2
    thread = await desk.conversations.thread(viewer_id=responder.id, request_id=request_id)
    assert [m.body for m in thread.messages] == ['hello', 'anyone?']
    thread.messages.clear()  # a caller's copy: the next tab still gets the whole thread
    assert len((await desk.conversations.thread(viewer_id=responder.id, request_id=request_id)).messages) == 2

    await desk.conversations.mark_read(viewer_id=author.id, conversation_id=first.conversation_id)
    assert await desk.conversations.unread_total(user_id=author.id) == 0


async def test_a_full_cache_lets_only_its_oldest_value_go_and_a_lasting_one_never_ages() -> None:
    """Emptied whole once full, a thousand online visitors' viewers were read again every few messages."""
    reads: list[str] = []

    async def load(key: str) -> str:
        reads.append(key)
        return key

    shared: Coalescer[str] = Coalescer(max_keys=3, max_age=None)
    for key in 'abc':
        await shared.get(key, lambda key=key: load(key))
    await shared.get('d', lambda: load('d'))  # full: 'a', the oldest, goes
    for key in 'bcd':
        await shared.get(key, lambda key=key: load(key))
    assert reads == ['a', 'b', 'c', 'd']
    await shared.get('a', lambda: load('a'))
    assert reads[-1] == 'a' and len(reads) == 5


async def test_the_viewers_read_for_a_page_action_is_shared_and_forgotten_when_sessions_end(desk: Desk) -> None:
    """Tab.actor_id asks before every send and every "typing": from memory, as an API token's user, until an
    admin ends the user's sessions."""
    admin, user = await make_user(desk, role='admin'), await make_user(desk)
    token = desk.accounts.session_token(user)
    with sent(desk) as statements:
        assert [await desk.accounts.session_user_id(token) for _ in range(5)] == [user.id] * 5
    assert len(statements) <= 1
    await desk.users.set_active(actor_id=admin.id, user_id=user.id, active=False)
    assert await desk.accounts.session_user_id(token) is None
    assert await desk.accounts.session_user_id('forged') is None and await desk.accounts.session_user_id(None) is None
