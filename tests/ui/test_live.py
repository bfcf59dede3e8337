"""Live updates: two tabs of one browser, re-reading on reconnect, and subscriptions that end with the page."""

from __future__ import annotations

import asyncio

from nicegui import context
from nicegui.testing import User

from domain.desk import Desk
from domain.events import MessagePosted, RequestChanged
from tests.factories import make_request, make_user
from tests.ui.steps import bubbles, eventually, follow, open_request, send, signed_in
from ui.components.message_block import MessageBlock
from ui.components.status_control import StatusControl


async def test_two_tabs_of_one_user_show_every_message_once_in_order(user: User, running_desk: Desk) -> None:
    author = await make_user(running_desk)
    request_id = await make_request(running_desk, author)
    await signed_in(user, running_desk)
    second_tab = User(user.http_client)  # same browser, same session cookie
    await open_request(user, request_id)
    await open_request(second_tab, request_id)

    send(user, 'one')
    await second_tab.should_see(kind=MessageBlock, content='one')
    send(second_tab, 'two')
    send(user, 'three')
    for tab in (user, second_tab):
        await tab.should_see(kind=MessageBlock, content='three')
        await tab.should_see(kind=MessageBlock, content='two')
    [line] = await running_desk.conversations.on_my_requests(viewer_id=author.id)
    stored = await running_desk.conversations.messages_after(viewer_id=author.id, request_id=request_id,
                                                            conversation_id=line.conversation_id, after_id=0)
    for tab in (user, second_tab):  # the order of the database, each message once
        texts = [shown.body for shown in bubbles(tab)]
        assert texts == [message.body for message in stored]
        assert sorted(texts) == ['one', 'three', 'two']


async def test_a_page_that_reconnects_reads_what_it_missed(create_user, running_desk: Desk) -> None:
    author_tab = create_user()
    author = await signed_in(author_tab, running_desk)
    responder = await make_user(running_desk)
    request_id = await make_request(running_desk, author)
    first = await running_desk.conversations.post(actor_id=responder.id, request_id=request_id, text='before')
    await author_tab.open(f'/requests/{request_id}')
    await author_tab.should_see(marker=f'response-from-{responder.id}')
    author_tab.find(marker=f'response-from-{responder.id}').click()
    await author_tab.should_see(kind=MessageBlock, content='before')
    await eventually(lambda: running_desk.hub.subscriber_count(MessagePosted, request_id) == 2)

    # The socket dropped: events raised meanwhile reach none of the page's subscriptions (the desk's own stay).
    for watched in [key for key in running_desk.hub._subscribers if key[1] == request_id]:
        del running_desk.hub._subscribers[watched]
    await running_desk.conversations.post(actor_id=responder.id, request_id=request_id, text='while away',
                                          conversation_id=first.conversation_id)
    await author_tab.should_not_see(kind=MessageBlock, content='while away')

    client = author_tab.client
    assert client is not None
    for handler in client.connect_handlers:  # what NiceGUI runs when the browser reconnects
        client.safe_invoke(handler)
    await author_tab.should_see(kind=MessageBlock, content='while away')
    await author_tab.should_see('Responses (1)')


async def test_leaving_a_sub_page_or_closing_the_tab_ends_its_subscriptions(user: User, running_desk: Desk) -> None:
    author = await make_user(running_desk)
    request_id = await make_request(running_desk, author)
    await signed_in(user, running_desk)
    await open_request(user, request_id)
    await eventually(lambda: running_desk.hub.subscriber_count(MessagePosted, request_id) == 1)

    follow(user, 'Requests')  # another sub page in the same tab
    await user.should_see('Search titles')
    responder = await make_user(running_desk)
    await running_desk.conversations.post(actor_id=responder.id, request_id=request_id, text='anyone?')
    await eventually(lambda: running_desk.hub.subscriber_count(MessagePosted, request_id) == 0)

    client = user.client
    assert client is not None
    board_watchers = running_desk.hub.subscriber_count(RequestChanged)  # this tab and the sign-in tab's board
    assert board_watchers >= 1
    client.delete()  # the tab is gone for good (not a short disconnect)
    assert running_desk.hub.subscriber_count(RequestChanged) == board_watchers - 1


async def test_open_boards_note_a_change_without_a_task_per_tab_and_still_show_it(create_user,
                                                                                  running_desk: Desk) -> None:
    author = await make_user(running_desk)
    request_id = await make_request(running_desk, author, title='Printer jam')
    tabs = [create_user() for _ in range(3)]
    for tab in tabs:
        await signed_in(tab, running_desk)
        await tab.open('/requests')
        await tab.should_see('Printer jam')
    await eventually(lambda: running_desk.hub.subscriber_count(RequestChanged) >= 3)

    running_desk.hub.publish(RequestChanged(request_id, (await running_desk.requests.board()).id))
    assert len(running_desk.hub._tasks) == 0  # each board only noted a paced refresh, in the hub's own call

    await running_desk.requests.change_status(actor_id=author.id, request_id=request_id,
                                              status_id=(await running_desk.requests.statuses())[-1].id)
    closed = (await running_desk.requests.statuses())[-1].name
    for tab in tabs:
        await eventually(lambda tab=tab: closed in _row_text(tab, request_id))


def _row_text(tab: User, request_id: int) -> str:
    row = tab.find(marker=f'request-row-{request_id}').elements.pop()
    return ' '.join(row.texts)


async def test_open_boards_leave_support_tickets_alone(user: User, running_desk: Desk, monkeypatch) -> None:
    from ui.pages import request_list  # the board's pacer, seen from outside: which refreshes were asked for

    asked: list[object] = []
    note = request_list.PACE.request_shown
    monkeypatch.setattr(request_list.PACE, 'request_shown',
                        lambda read_key, read, key, show: (asked.append(key), note(read_key, read, key, show)))
    author = await make_user(running_desk)
    request_id = await make_request(running_desk, author, title='Printer jam')
    await signed_in(user, running_desk)
    await user.open('/requests')
    await user.should_see('Printer jam')
    await eventually(lambda: running_desk.hub.subscriber_count(RequestChanged) >= 1)
    customer = await make_user(running_desk)

    await running_desk.support.write(actor_id=customer.id, text='opens a ticket')
    await running_desk.support.write(actor_id=customer.id, text='touches it')
    await running_desk.requests.change_status(actor_id=author.id, request_id=request_id,
                                              status_id=(await running_desk.requests.statuses())[1].id)
    await user.should_see('In progress')
    await asyncio.sleep(0.1)  # any refresh asked for by the ticket's events would have been asked by now
    assert asked and len(asked) == len(set(asked))  # each open board once: for its own change, not the ticket's two


async def test_a_board_whose_search_changed_since_the_event_ignores_the_read_made_for_it(user: User,
                                                                                        running_desk: Desk,
                                                                                        monkeypatch) -> None:
    from ui.components.request_row import RequestRowView
    from ui.pages import request_list

    asked: list[tuple] = []  # the refresh the board asks for, held back so that it can come late
    monkeypatch.setattr(request_list.PACE, 'request_shown', lambda *args: asked.append(args))
    author = await make_user(running_desk)
    await make_request(running_desk, author, title='Printer jam')
    await make_request(running_desk, author, title='Window will not close')
    await user.open('/requests')
    await user.should_see(kind=RequestRowView, content='Printer jam')
    await eventually(lambda: running_desk.hub.subscriber_count(RequestChanged) >= 1)
    await make_request(running_desk, author, title='Window is cracked')
    await eventually(lambda: bool(asked))

    user.find('Search titles').type('window')  # the user narrows the list before the refresh comes
    await user.should_not_see(kind=RequestRowView, content='Printer jam')
    _read_key, read, _key, show = asked[-1]
    show(await read())  # the read asked for by the event, for the list as it was

    await asyncio.sleep(0.05)
    await user.should_see(kind=RequestRowView, content='Window will not close')
    await user.should_not_see(kind=RequestRowView, content='Printer jam')


async def test_a_page_opened_reads_once_and_still_shows_what_came_while_it_was_built(user: User,
                                                                                    running_desk: Desk,
                                                                                    monkeypatch) -> None:
    """NiceGUI builds a sub page in a task, usually once the socket is up: its watches start then. They re-read
    only when what they watch changed since the page began to read: a message posted after the chat was read and
    before its watches started still shows; with nothing posted meanwhile the chat is read once."""
    customer = await signed_in(user, running_desk)
    await running_desk.support.write(actor_id=customer.id, text='hello', files=[])
    ticket_id = (await running_desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket_id is not None
    reads: list[int] = []
    chat = running_desk.support.chat

    async def counted_chat(*, viewer_id: int | None):  # type: ignore[no-untyped-def]
        reads.append(viewer_id or 0)
        return await chat(viewer_id=viewer_id)

    monkeypatch.setattr(running_desk.support, 'chat', counted_chat)
    await user.open('/support')
    await user.should_see(kind=MessageBlock, content='hello')
    await asyncio.sleep(0.3)  # a needless re-read would have run by now
    assert len(reads) == 1

    agent = await make_user(running_desk, role='agent')

    async def answered_meanwhile(*, viewer_id: int | None):  # type: ignore[no-untyped-def]
        shown = await chat(viewer_id=viewer_id)
        await running_desk.tickets.reply(actor_id=agent.id, request_id=ticket_id, text='an answer',
                                         note=False, files=[])
        return shown

    monkeypatch.setattr(running_desk.support, 'chat', answered_meanwhile)
    follow(user, 'Requests')
    await user.should_see('Search titles')
    await user.open('/support')
    await user.should_see(kind=MessageBlock, content='an answer')  # the watches started after the answer: re-read



async def test_a_handler_that_only_notes_work_is_called_outside_the_page(user: User, running_desk: Desk) -> None:
    author = await signed_in(user, running_desk)
    request_id = await make_request(running_desk, author)
    await open_request(user, request_id, expect='Change status')
    control = user.find(kind=StatusControl).elements.pop()
    assert isinstance(control, StatusControl)
    inside: dict[bool, list[int]] = {True: [], False: []}
    for in_page in (True, False):
        control.tab.live.watch(RequestChanged, lambda _event, in_page=in_page: inside[in_page].append(
            len(context.slot_stack)), key=request_id, container=control, in_page=in_page)
    view = await running_desk.requests.open(viewer_id=author.id, request_id=request_id)
    await running_desk.requests.change_status(actor_id=author.id, request_id=request_id,
                                              status_id=view.next_statuses[0].id)
    await eventually(lambda: bool(inside[True] and inside[False]))
    assert inside[True][0] > 0 and inside[False] == [0]  # the hub's caller has no page around it
