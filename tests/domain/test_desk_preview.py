"""The desk's list shows each ticket's last message (or note) on both databases, cut to a line's worth."""

from __future__ import annotations

from domain.desk import Desk
from domain.tickets.views import InboxQuery
from storage.inbox import PREVIEW_LENGTH
from tests.factories import make_user


async def preview_of(desk: Desk, viewer_id: int, ticket_id: int) -> str:
    rows = (await desk.tickets.inbox(viewer_id=viewer_id, query=InboxQuery(open_only=False))).rows
    [row] = [row for row in rows if row.id == ticket_id]
    single = await desk.tickets.row(viewer_id=viewer_id, request_id=ticket_id)
    assert single is not None and single.preview == row.preview  # one row read alone says the same
    return row.preview


async def test_each_row_shows_the_last_message_or_note_but_no_status_change(desk: Desk) -> None:
    customer, other, agent = await make_user(desk), await make_user(desk), await make_user(desk, role='agent')
    await desk.support.write(actor_id=customer.id, text='My card was charged twice')
    await desk.support.write(actor_id=other.id, text='Another question entirely')
    ticket_id = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    other_id = (await desk.support.chat(viewer_id=other.id)).open_ticket_id
    assert ticket_id is not None and other_id is not None
    assert await preview_of(desk, agent.id, ticket_id) == 'My card was charged twice'

    await desk.tickets.reply(actor_id=agent.id, request_id=ticket_id, text='Refunded the second charge.')
    assert await preview_of(desk, agent.id, ticket_id) == 'Refunded the second charge.'
    await desk.tickets.reply(actor_id=agent.id, request_id=ticket_id, text='Bank ref 4411', note=True)
    assert await preview_of(desk, agent.id, ticket_id) == 'Bank ref 4411'  # staff read the list: notes count
    view = await desk.tickets.ticket(viewer_id=agent.id, request_id=ticket_id)
    await desk.requests.change_status(actor_id=agent.id, request_id=ticket_id, status_id=view.next_statuses[0].id)
    assert await preview_of(desk, agent.id, ticket_id) == 'Bank ref 4411'
    assert await preview_of(desk, agent.id, other_id) == 'Another question entirely'  # each ticket its own


async def test_a_long_message_is_cut_to_a_line(desk: Desk) -> None:
    customer, agent = await make_user(desk), await make_user(desk, role='agent')
    await desk.support.write(actor_id=customer.id, text='Hello')
    ticket_id = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket_id is not None
    await desk.support.write(actor_id=customer.id, text='ж' * 3000)
    assert await preview_of(desk, agent.id, ticket_id) == 'ж' * PREVIEW_LENGTH
