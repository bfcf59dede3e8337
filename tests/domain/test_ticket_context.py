"""The desk's right pane re-reads its ticket on every change: one light read, not the ticket's view and timeline."""

from __future__ import annotations

from domain.desk import Desk
from tests.domain.statements import sent
from tests.factories import make_user


async def test_the_context_reads_the_panel_and_only_the_new_events_without_the_thread(desk: Desk) -> None:
    agent, customer = await make_user(desk, role='agent'), await make_user(desk)
    await desk.support.write(actor_id=customer.id, text='My laptop will not start.')
    ticket_id = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket_id is not None
    first = await desk.tickets.context(viewer_id=agent.id, request_id=ticket_id)
    assert first.ticket.id == ticket_id and first.status.kind == 'open' and first.next_statuses
    assert agent.id in {a.id for a in first.agents} and first.events
    shown = first.events[-1].id

    await desk.tickets.reply(actor_id=agent.id, request_id=ticket_id, text='Is it plugged in?')
    with sent(desk) as reading:
        after = await desk.tickets.context(viewer_id=agent.id, request_id=ticket_id, after_event_id=shown)
    assert after.ticket.assignee_id == agent.id  # answering took it
    assert [e.kind for e in after.events] == ['assigned', 'message.posted'] and all(e.id > shown for e in after.events)
    # The viewer, the ticket, the staff to assign to, the new events: not the thread, its conversation, the
    # customer's other tickets or the earlier events, as the ticket's view and the timeline read them.
    assert [statement.split()[1].split('.')[0] for statement in reading] == ['users', 'requests', 'users', 'events']
    assert await desk.tickets.context(viewer_id=agent.id, request_id=ticket_id,
                                      after_event_id=after.events[-1].id) == after.__class__(
        after.ticket, after.status, after.next_statuses, after.agents, [])
