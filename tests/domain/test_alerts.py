"""Who is told that a customer wrote, on both databases and across instances; and the choices agents save."""

from __future__ import annotations

import asyncio

import pytest

from domain.desk import Desk
from domain.errors import InvalidInput, PermissionDenied
from domain.tickets.alerts import CustomerWrote, CustomerWroteToAgent, CustomerWroteToQueue
from tests.factories import make_user, unique


def listen(desk: Desk) -> list[CustomerWrote]:
    heard: list[CustomerWrote] = []
    desk.hub.subscribe(CustomerWroteToQueue, heard.append)
    desk.hub.subscribe(CustomerWroteToAgent, heard.append)
    return heard


async def new_inbox_queue(desk: Desk) -> int:
    admin = await make_user(desk, role='admin')
    [flow] = [w for w in await desk.queues.list_workflows(actor_id=admin.id) if w.name == 'Ticket']
    return await desk.queues.create_queue(actor_id=admin.id, name=unique('Billing '), visibility='private',
                                          workflow_id=flow.id)


async def test_a_queue_made_after_the_first_alert_is_an_inbox_queue_at_once(desk: Desk) -> None:
    heard = listen(desk)
    customer = await make_user(desk)
    await desk.support.write(actor_id=customer.id, text='In Support')
    await desk.hub.drain()
    assert [event.title for event in heard] == ['In Support']  # the inbox's queues are now remembered

    billing = await new_inbox_queue(desk)
    await desk.hub.drain()
    await desk.support.write(actor_id=(await make_user(desk)).id, text='In Billing', queue_id=billing)
    await desk.hub.drain()
    assert [(event.title, event.queue_id) for event in heard][1:] == [('In Billing', billing)]


async def test_staff_writing_and_notes_tell_nobody(desk: Desk) -> None:
    heard = listen(desk)
    customer, agent = await make_user(desk), await make_user(desk, role='agent')
    message = await desk.support.write(actor_id=customer.id, text='Help')
    await desk.hub.drain()
    heard.clear()
    [thread] = (await desk.support.chat(viewer_id=customer.id)).threads
    ticket_id = thread.ticket.id
    assert thread.conversation_id == message.conversation_id
    await desk.tickets.reply(actor_id=agent.id, request_id=ticket_id, text='On it')
    await desk.tickets.reply(actor_id=agent.id, request_id=ticket_id, text='Internal', note=True)
    await desk.hub.drain()
    assert heard == []


async def test_only_staff_choose_and_only_inbox_queues(desk: Desk) -> None:
    customer, agent = await make_user(desk), await make_user(desk, role='agent')
    with pytest.raises(PermissionDenied):
        await desk.alerts.save(actor_id=customer.id, sound=True, browser=False, queue_ids=None)
    board = await desk.requests.board()
    with pytest.raises(InvalidInput):
        await desk.alerts.save(actor_id=agent.id, sound=True, browser=False, queue_ids=[board.id])
    billing = await new_inbox_queue(desk)
    saved = await desk.alerts.save(actor_id=agent.id, sound=True, browser=True, queue_ids=[billing, billing])
    assert saved.queue_ids == (billing,)
    assert await desk.alerts.choices(actor_id=agent.id) == saved


async def test_each_instance_tells_its_own_tabs_once(two_instances: tuple[Desk, Desk]) -> None:
    one, other = two_instances
    heard_here, heard_there = listen(one), listen(other)
    customer = await make_user(one)
    await one.support.write(actor_id=customer.id, text='Across instances')
    for _ in range(100):
        await one.hub.drain()
        await other.hub.drain()
        if heard_there:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)
    await other.hub.drain()
    assert [event.title for event in heard_here] == ['Across instances']
    assert [event.title for event in heard_there] == ['Across instances']
