"""Conversations on both databases: respond, answer, unread counts, order under concurrent sends."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from domain.desk import Desk
from domain.errors import InvalidInput, NotFound, NotSignedIn, PermissionDenied
from domain.events import MessagePosted, UnreadChanged
from storage.models import Conversation, Message
from tests.factories import make_request, make_user


async def test_a_response_is_stored_as_request_text_and_responder(desk: Desk) -> None:
    author, responder = await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author)
    message = await desk.conversations.post(actor_id=responder.id, request_id=request_id, text='  I can help  ')
    async with desk.database.connect() as connection:
        stored = (await connection.execute(
            select(Message.request_id, Message.body, Message.author_id, Conversation.counterpart_id)
            .join(Conversation, Conversation.id == Message.conversation_id))).one()
    assert tuple(stored) == (request_id, 'I can help', responder.id, responder.id)
    assert message.body == 'I can help'
    assert (await desk.requests.open(viewer_id=None, request_id=request_id)).request.response_count == 1


async def test_the_author_sees_one_entry_per_responder_with_unread_counts(desk: Desk) -> None:
    author, bob, carol = await make_user(desk), await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author)
    await desk.conversations.post(actor_id=bob.id, request_id=request_id, text='first from bob')
    await desk.conversations.post(actor_id=bob.id, request_id=request_id, text='second from bob')
    await desk.conversations.post(actor_id=carol.id, request_id=request_id, text='carol here')
    responses = await desk.conversations.responses(viewer_id=author.id, request_id=request_id)
    assert [(r.counterpart, r.last_message, r.unread) for r in responses] == [
        (carol.display_name, 'carol here', 1), (bob.display_name, 'second from bob', 2)]
    assert await desk.conversations.unread_total(user_id=author.id) == 3
    with pytest.raises(PermissionDenied):
        await desk.conversations.responses(viewer_id=bob.id, request_id=request_id)


async def test_the_author_answers_and_the_responder_sees_it_unread_in_my_responses(desk: Desk) -> None:
    author, bob = await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author, title='Need a lift')
    first = await desk.conversations.post(actor_id=bob.id, request_id=request_id, text='I drive there')
    posted: list[object] = []
    unread: list[object] = []
    desk.hub.subscribe(MessagePosted, posted.append, key=request_id)
    desk.hub.subscribe(UnreadChanged, unread.append, key=bob.id)
    await desk.conversations.mark_read(viewer_id=author.id, conversation_id=first.conversation_id)
    answer = await desk.conversations.post(actor_id=author.id, request_id=request_id, text='Great, thanks',
                                           conversation_id=first.conversation_id)
    assert posted == [MessagePosted(request_id, first.conversation_id, answer.id, author.id)]
    assert unread == [UnreadChanged(bob.id)]
    [line] = await desk.conversations.my_responses(viewer_id=bob.id)
    assert (line.title, line.other, line.last_message, line.unread) == (
        'Need a lift', author.display_name, 'Great, thanks', 1)
    thread = await desk.conversations.thread(viewer_id=bob.id, request_id=request_id)
    assert [m.body for m in thread.messages] == ['I drive there', 'Great, thanks']
    await desk.conversations.mark_read(viewer_id=bob.id, conversation_id=first.conversation_id)
    assert await desk.conversations.unread_total(user_id=bob.id) == 0
    [mine] = await desk.conversations.on_my_requests(viewer_id=author.id)
    assert (mine.other, mine.unread) == (bob.display_name, 0)


async def test_the_author_cannot_respond_to_their_own_request(desk: Desk) -> None:
    author = await make_user(desk)
    request_id = await make_request(desk, author)
    with pytest.raises(PermissionDenied):
        await desk.conversations.post(actor_id=author.id, request_id=request_id, text='me too')


async def test_a_stranger_cannot_write_in_or_read_someone_elses_conversation(desk: Desk) -> None:
    author, bob, eve = await make_user(desk), await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author)
    message = await desk.conversations.post(actor_id=bob.id, request_id=request_id, text='hello')
    with pytest.raises(NotFound):
        await desk.conversations.post(actor_id=eve.id, request_id=request_id, text='sneaky',
                                      conversation_id=message.conversation_id)
    with pytest.raises(NotFound):
        await desk.conversations.thread(viewer_id=eve.id, request_id=request_id,
                                        conversation_id=message.conversation_id)
    other_request = await make_request(desk, author)
    with pytest.raises(NotFound):  # a conversation id of another request
        await desk.conversations.post(actor_id=author.id, request_id=other_request, text='x',
                                      conversation_id=message.conversation_id)


@pytest.mark.parametrize('text', ['', '   \n ', 'x' * 10_001])
async def test_empty_or_over_long_messages_are_refused(desk: Desk, text: str) -> None:
    author, bob = await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author)
    with pytest.raises(InvalidInput) as refused:
        await desk.conversations.post(actor_id=bob.id, request_id=request_id, text=text)
    assert refused.value.field == 'message'


async def test_a_visitor_and_a_closed_request_get_no_new_messages(desk: Desk) -> None:
    author, bob = await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author)
    with pytest.raises(NotSignedIn):
        await desk.conversations.post(actor_id=None, request_id=request_id, text='hi')
    closed = (await desk.requests.statuses())[2]
    await desk.requests.change_status(actor_id=author.id, request_id=request_id, status_id=closed.id)
    with pytest.raises(PermissionDenied):
        await desk.conversations.post(actor_id=bob.id, request_id=request_id, text='too late')


async def test_two_tabs_sending_a_first_response_at_once_make_one_conversation(desk: Desk) -> None:
    author, bob = await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author)
    sent = await asyncio.gather(*(desk.conversations.post(actor_id=bob.id, request_id=request_id, text=f'tab {n}')
                                  for n in range(4)))
    assert len({message.conversation_id for message in sent}) == 1
    async with desk.database.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(Conversation)) == 1
    thread = await desk.conversations.thread(viewer_id=bob.id, request_id=request_id)
    assert sorted(m.body for m in thread.messages) == [f'tab {n}' for n in range(4)]
    assert [m.id for m in thread.messages] == sorted(m.id for m in thread.messages)
    assert (await desk.requests.open(viewer_id=None, request_id=request_id)).request.response_count == 1
    responses = await desk.conversations.responses(viewer_id=author.id, request_id=request_id)
    assert responses[0].unread == 4


async def test_messages_after_reads_only_what_is_new(desk: Desk) -> None:
    author, bob = await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author)
    first = await desk.conversations.post(actor_id=bob.id, request_id=request_id, text='one')
    await desk.conversations.post(actor_id=bob.id, request_id=request_id, text='two')
    newer = await desk.conversations.messages_after(viewer_id=author.id, request_id=request_id,
                                                    conversation_id=first.conversation_id, after_id=first.id)
    assert [m.body for m in newer] == ['two']


async def test_a_support_ticket_is_answered_in_the_desk_or_the_chat_not_here(desk: Desk) -> None:
    customer, agent = await make_user(desk), await make_user(desk, role='agent')
    message = await desk.support.write(actor_id=customer.id, text='help')
    ticket_id = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket_id is not None
    for actor in (customer, agent):  # the chat and the desk keep the ticket's unread flags and assignment right
        with pytest.raises(PermissionDenied):
            await desk.conversations.post(actor_id=actor.id, request_id=ticket_id, text='here?',
                                          conversation_id=message.conversation_id)
