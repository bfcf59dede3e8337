"""Events between instances on one PostgreSQL: another instance hears each change, and re-reads after a drop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from domain.desk import Desk
from domain.events import EVENT_KINDS, MessagePosted, RequestChanged, RequestCreated, Typing
from storage.database import Database
from storage.notify import CHANNEL, Announcer, Listener
from tests.domain.statements import sent
from tests.factories import make_request, make_user


@pytest.fixture
async def second(desk: Desk) -> AsyncIterator[tuple[Desk, Desk]]:
    """Two desks on one PostgreSQL database, each as its own app instance would build it."""
    if desk.database.is_sqlite:
        pytest.skip('several instances need PostgreSQL')
    one = Desk.build(desk.database, secret_key='test secret', bcrypt_rounds=4, shared_events=True)
    other = Desk.build(Database(desk.database.url), secret_key='test secret', bcrypt_rounds=4, shared_events=True)
    other.start()
    await other.database.ready()
    assert other.listener is not None
    await asyncio.wait_for(other.listener.connected.wait(), 5)
    yield one, other
    await other.stop()


async def eventually(check, within: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not check():
        assert asyncio.get_running_loop().time() < deadline, 'not within time'
        await asyncio.sleep(0.02)


async def test_another_instance_hears_every_change_once_and_in_order(second: tuple[Desk, Desk]) -> None:
    one, other = second
    heard: list[object] = []
    for kind in (RequestCreated, RequestChanged, MessagePosted):
        other.hub.subscribe(kind, heard.append)
    here: list[object] = []
    one.hub.subscribe(MessagePosted, here.append)
    author, responder = await make_user(one), await make_user(one)
    request_id = await make_request(one, author)
    message = await one.conversations.post(actor_id=responder.id, request_id=request_id, text='over the wire')
    board_id = (await one.requests.board()).id
    expected = [RequestCreated(request_id, board_id),
                MessagePosted(request_id, message.conversation_id, message.id, responder.id),
                RequestChanged(request_id, board_id)]
    await eventually(lambda: len(heard) >= 3)
    await asyncio.sleep(0.2)  # nothing more arrives, nothing twice
    assert heard == expected
    assert here == [expected[1]]  # the publishing instance delivered it itself, at once, and not again


async def test_the_bridge_reconnects_and_asks_pages_to_read_again(second: tuple[Desk, Desk]) -> None:
    one, other = second
    resyncs: list[bool] = []
    other.hub.on_resync(lambda: resyncs.append(True))
    assert other.listener is not None
    async with one.database.engine.begin() as connection:  # type: ignore[union-attr]
        await connection.execute(text('SELECT pg_terminate_backend(:pid)'), {'pid': other.listener.backend_pid})
    await eventually(lambda: bool(resyncs), within=8)
    await asyncio.wait_for(other.listener.connected.wait(), 5)
    heard: list[object] = []
    other.hub.subscribe(RequestCreated, heard.append)
    author = await make_user(one)
    request_id = await make_request(one, author)
    await eventually(lambda: [event.request_id for event in heard] == [request_id])  # live again


def test_a_commit_with_many_events_is_announced_in_payloads_postgresql_accepts() -> None:
    announcer = Announcer()
    events = [RequestChanged(number, 1) for number in range(1_000)]
    payloads = announcer.encode(events)
    assert len(payloads) > 1 and all(len(payload.encode()) < 8_000 for payload in payloads)
    assert len(announcer.encode(events[:3])) == 1  # the usual commit: one NOTIFY
    heard: list[object] = []
    listener = Listener('postgresql+asyncpg://nobody@127.0.0.1/none', Announcer(), EVENT_KINDS,
                        deliver=heard.append, resync=lambda: None)
    for payload in payloads:
        listener._on_notify(None, 0, CHANNEL, payload)
    listener._on_notify(None, 0, CHANNEL, '["other", [["NoSuchEvent", [1]]]]')  # ignored whole, logged
    assert heard == events


async def test_someone_typing_reaches_the_other_instance_once_with_one_statement(second: tuple[Desk, Desk]) -> None:
    one, other = second
    heard: list[Typing] = []
    other.hub.subscribe(Typing, heard.append)
    here: list[Typing] = []
    one.hub.subscribe(Typing, here.append)
    customer = await make_user(one)
    await one.support.write(actor_id=customer.id, text='Hello?')
    ticket_id = (await one.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket_id is not None
    await one.support.typing(actor_id=customer.id, request_id=ticket_id)  # reads the ticket, now remembered
    with sent(one) as statements:
        await one.support.typing(actor_id=customer.id, request_id=ticket_id)
    assert [statement.split('(')[0] for statement in statements] == ['SELECT pg_notify']
    expected = Typing(ticket_id, customer.id, False)
    assert here == [expected, expected]
    await eventually(lambda: heard == [expected, expected])
    await asyncio.sleep(0.2)
    assert heard == [expected, expected] and here == [expected, expected]  # once each


async def test_a_writing_unit_of_work_emits_at_commit_and_does_not_announce_at_once(desk: Desk) -> None:
    async with desk.requests.uow(write=True) as uow:
        with pytest.raises(RuntimeError, match='emit'):
            await uow.announce(Typing(1, 1, False))
