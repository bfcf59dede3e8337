"""The drawer's inbox count: open tickets the customer wrote on since staff read them, the agent's or nobody's."""

from __future__ import annotations

import pytest

from domain.desk import Desk
from domain.errors import PermissionDenied
from tests.factories import make_user


async def ticket_of(desk: Desk, customer_id: int, text: str) -> int:
    await desk.support.write(actor_id=customer_id, text=text)
    ticket_id = (await desk.support.chat(viewer_id=customer_id)).open_ticket_id
    assert ticket_id is not None
    return ticket_id


async def waiting(desk: Desk, viewer_id: int) -> int:
    await desk.hub.drain()  # the shared count is forgotten by the change's event
    return await desk.tickets.waiting(viewer_id=viewer_id)


async def test_the_count_is_the_agents_and_the_unassigned_unread_tickets(desk: Desk) -> None:
    ann, bob = await make_user(desk, role='agent'), await make_user(desk, role='agent')
    first, second, third = await make_user(desk), await make_user(desk), await make_user(desk)
    assert await waiting(desk, ann.id) == 0
    mine = await ticket_of(desk, first.id, 'Printer jammed')
    await ticket_of(desk, second.id, 'Screen flickers')
    bobs = await ticket_of(desk, third.id, 'No sound')
    assert await waiting(desk, ann.id) == 3  # nobody's yet: everyone's to see

    await desk.tickets.assign(actor_id=ann.id, request_id=mine, assignee_id=ann.id)
    await desk.tickets.assign(actor_id=ann.id, request_id=bobs, assignee_id=bob.id)
    assert await waiting(desk, ann.id) == 2  # hers and the unassigned one, not Bob's
    assert await waiting(desk, bob.id) == 2

    await desk.tickets.mark_read(viewer_id=ann.id, request_id=mine)
    assert await waiting(desk, ann.id) == 1
    await desk.support.write(actor_id=first.id, text='Still jammed')  # the customer writes again
    assert await waiting(desk, ann.id) == 2


async def test_an_answered_or_closed_ticket_no_longer_waits(desk: Desk) -> None:
    agent, customer = await make_user(desk, role='agent'), await make_user(desk)
    ticket_id = await ticket_of(desk, customer.id, 'Where is my parcel?')
    assert await waiting(desk, agent.id) == 1
    await desk.tickets.reply(actor_id=agent.id, request_id=ticket_id, text='On its way.')
    assert await waiting(desk, agent.id) == 0
    await desk.support.write(actor_id=customer.id, text='Thanks!')
    assert await waiting(desk, agent.id) == 1
    view = await desk.tickets.ticket(viewer_id=agent.id, request_id=ticket_id)
    closed = next(status for status in view.next_statuses if status.kind == 'closed')
    await desk.requests.change_status(actor_id=agent.id, request_id=ticket_id, status_id=closed.id)
    assert await waiting(desk, agent.id) == 0


async def test_only_staff_are_told_the_count(desk: Desk) -> None:
    customer = await make_user(desk)
    await ticket_of(desk, customer.id, 'Hello')
    with pytest.raises(PermissionDenied):
        await desk.tickets.waiting(viewer_id=customer.id)
    with pytest.raises(PermissionDenied):
        await desk.tickets.waiting(viewer_id=None)
