"""The live thread's one rule: one read at a time, every message once and in order, whatever asks at once."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from nicegui.testing import User

from domain.desk import Desk
from domain.requests.views import MessageRow
from tests.factories import make_request, make_user
from tests.ui.steps import bubbles, eventually, open_request, send, signed_in
from ui.components.live_thread import LiveThread
from ui.components.message_block import MessageBlock


async def _thread_with_a_conversation(user: User, desk: Desk) -> tuple[LiveThread, int, int]:
    """A responder's request page with their first message shown: its thread, the request and the responder."""
    author = await make_user(desk)
    request_id = await make_request(desk, author)
    responder = await signed_in(user, desk)
    await open_request(user, request_id)
    send(user, 'first')
    await user.should_see(kind=MessageBlock, content='first')
    thread = user.find(kind=LiveThread).elements.pop()
    assert isinstance(thread, LiveThread)
    return thread, request_id, responder.id


async def test_two_messages_posted_at_once_show_once_each_in_order_with_one_read_at_a_time(user: User,
                                                                                         running_desk: Desk) -> None:
    thread, request_id, responder_id = await _thread_with_a_conversation(user, running_desk)
    reading, most, reads = 0, 0, 0
    fetch = thread._fetch

    async def slow_fetch(conversation_id: int, after_id: int) -> Sequence[MessageRow]:
        nonlocal reading, most, reads
        reading, reads = reading + 1, reads + 1
        most = max(most, reading)
        await asyncio.sleep(0.05)  # long enough for the other event to arrive while this read runs
        try:
            return await fetch(conversation_id, after_id)
        finally:
            reading -= 1

    thread._fetch = slow_fetch
    conversation_id = thread.conversation_id
    await asyncio.gather(*(running_desk.conversations.post(actor_id=responder_id, request_id=request_id, text=text,
                                                           conversation_id=conversation_id)
                           for text in ('second', 'third')))
    await eventually(lambda: len(bubbles(user)) == 3)
    await asyncio.sleep(0.2)  # a late duplicate would show by now

    stored = await running_desk.conversations.messages_after(viewer_id=responder_id, request_id=request_id,
                                                            conversation_id=conversation_id, after_id=0)
    assert [shown.message.id for shown in bubbles(user)] == [message.id for message in stored]
    assert sorted(shown.body for shown in bubbles(user)) == ['first', 'second', 'third']
    assert most == 1
    assert 1 <= reads <= 2


async def test_refreshes_asked_while_a_read_runs_share_one_more_read(user: User, running_desk: Desk) -> None:
    thread, request_id, responder_id = await _thread_with_a_conversation(user, running_desk)
    gate = asyncio.Event()
    asked: list[int] = []
    fetch = thread._fetch

    async def gated_fetch(conversation_id: int, after_id: int) -> Sequence[MessageRow]:
        asked.append(after_id)
        await gate.wait()
        return await fetch(conversation_id, after_id)

    thread._fetch = gated_fetch
    first = asyncio.create_task(thread.refresh())
    await eventually(lambda: len(asked) == 1)  # a read is under way
    await running_desk.conversations.post(actor_id=responder_id, request_id=request_id, text='meanwhile',
                                          conversation_id=thread.conversation_id)
    waiting = [asyncio.create_task(thread.refresh()) for _ in range(3)]
    await asyncio.sleep(0.05)
    assert len(asked) == 1  # never two reads at once
    gate.set()
    await asyncio.gather(first, *waiting)

    assert len(asked) == 2  # the three that waited, and the event's own, shared the one read after the first
    assert [shown.body for shown in bubbles(user)] == ['first', 'meanwhile']


async def test_a_failed_read_leaves_the_next_waiting_refresh_to_read(user: User, running_desk: Desk) -> None:
    thread, request_id, responder_id = await _thread_with_a_conversation(user, running_desk)
    fetch, calls = thread._fetch, []

    async def failing_once(conversation_id: int, after_id: int) -> Sequence[MessageRow]:
        calls.append(after_id)
        await asyncio.sleep(0.02)
        if len(calls) == 1:
            raise ConnectionError('the database went away for a moment')
        return await fetch(conversation_id, after_id)

    thread._fetch = failing_once
    for watched in [key for key in running_desk.hub._subscribers if key[1] == request_id]:
        del running_desk.hub._subscribers[watched]  # only the two refreshes below read, not the event's own
    await running_desk.conversations.post(actor_id=responder_id, request_id=request_id, text='after the outage',
                                          conversation_id=thread.conversation_id)
    first, second = await asyncio.gather(thread.refresh(), thread.refresh(), return_exceptions=True)

    assert isinstance(first, ConnectionError) and second is None
    assert [shown.body for shown in bubbles(user)] == ['first', 'after the outage']


async def test_the_senders_own_message_is_read_once(user: User, running_desk: Desk) -> None:
    """The send reads its message; the event of the same message, heard after that read began, reads nothing."""
    thread, _request_id, _responder_id = await _thread_with_a_conversation(user, running_desk)
    reads: list[int] = []
    fetch = thread._fetch

    async def counted_fetch(conversation_id: int, after_id: int) -> Sequence[MessageRow]:
        reads.append(after_id)
        return await fetch(conversation_id, after_id)

    thread._fetch = counted_fetch
    send(user, 'second')
    await user.should_see(kind=MessageBlock, content='second')
    await running_desk.hub.drain()
    await asyncio.sleep(0.1)  # the event's handler has run by now

    assert len(reads) == 1
    assert [shown.body for shown in bubbles(user)] == ['first', 'second']
