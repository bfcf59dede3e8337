"""What the API's ticket reads send: the list and a ticket's messages take the viewer (and the thread) from memory."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.desk import Desk
from domain.errors import NotSignedIn
from domain.files import Upload
from domain.tickets.queues import TicketQuery
from domain.tickets.views import InboxQuery
from storage.models import Message, Queue, WorkflowStatus
from tests.domain.statements import sent
from tests.factories import make_request, make_user


def tallied(desk: Desk) -> str:
    """How the counts' statement begins: on PostgreSQL it reads ticket_counts with the deltas beside (0019)."""
    return 'ticket_counts.queue_id,' if desk.database.is_sqlite else 'tallied.queue_id,'


async def test_the_list_reads_its_page_and_its_counts_in_one_statement(desk: Desk) -> None:
    agent, customer = await make_user(desk, role='agent'), await make_user(desk)
    for number in range(3):
        await make_request(desk, customer, title=f'Printer {number}')
    await desk.queue_tickets.browse(viewer_id=agent.id, query=TicketQuery())  # the viewer and the queues: now known
    with sent(desk) as first:
        found = await desk.queue_tickets.browse(viewer_id=agent.id, query=TicketQuery(assignee='none'), limit=2)
    assert len(first) == 1  # the page, and its counts per status from ticket_counts
    assert found.more and sum(count.count for count in found.counts or []) == 3
    last = found.rows[-1]
    with sent(desk) as second:
        await desk.queue_tickets.browse(viewer_id=agent.id, query=TicketQuery(assignee='none'), limit=2,
                                        counted=False, after=(last.updated_at, last.id))
    assert [statement.split()[:2] for statement in second] == [['SELECT', 'requests.id,']]


async def test_a_tickets_messages_and_their_files_are_read_with_the_ticket(desk: Desk) -> None:
    agent, customer = await make_user(desk, role='agent'), await make_user(desk)
    async with desk.queues.uow(write=True) as uow:  # a Support ticket with no thread yet, as a rule could file one
        queue_id = await uow.connection.scalar(select(Queue.id).where(Queue.name == 'Support'))
        status_id = await uow.connection.scalar(select(WorkflowStatus.id).join(
            Queue, Queue.workflow_id == WorkflowStatus.workflow_id).where(Queue.id == queue_id)
            .order_by(WorkflowStatus.position).limit(1))
        ticket = await uow.requests.add(queue_id=queue_id, title='Parcel late', description='', status_id=status_id,
                                        author_id=customer.id, channel='api', closed=False)
        await uow.commit()
    assert (await desk.queue_tickets.messages(viewer_id=agent.id, request_id=ticket)).rows == []

    first = await desk.queue_tickets.write(actor_id=customer.id, request_id=ticket, text='Where is it?', files=[
        Upload('label.txt', b'label'), Upload('receipt.txt', b'receipt'), Upload('photo.txt', b'photo')])
    second = await desk.queue_tickets.write(actor_id=customer.id, request_id=ticket, text='Any news?')
    note = await desk.queue_tickets.write(actor_id=agent.id, request_id=ticket, text='Asked the depot.', note=True,
                                          files=[Upload('depot.txt', b'depot')])
    await desk.queue_tickets.messages(viewer_id=agent.id, request_id=ticket)  # the viewer: now known
    with sent(desk) as statements:
        thread = await desk.queue_tickets.messages(viewer_id=agent.id, request_id=ticket)
    # The ticket (may they read it?) and its thread's messages with their files: one statement on PostgreSQL.
    assert len(statements) == (2 if desk.database.is_sqlite else 1)
    assert [(m.id, m.attachments) for m in thread.rows] == [(first.id, first.attachments), (second.id, ()),
                                                           (note.id, note.attachments)]
    assert [f.filename for f in thread.rows[0].attachments] == ['label.txt', 'receipt.txt', 'photo.txt']
    customer_view = await desk.queue_tickets.messages(viewer_id=customer.id, request_id=ticket)
    assert [m.id for m in customer_view.rows] == [first.id, second.id]
    paged = await desk.queue_tickets.messages(viewer_id=agent.id, request_id=ticket, limit=1)
    assert [m.id for m in paged.rows] == [first.id] and paged.more
    assert paged.rows[0].attachments == first.attachments
    after = await desk.queue_tickets.messages(viewer_id=agent.id, request_id=ticket, after_id=first.id)
    assert [m.id for m in after.rows] == [second.id, note.id]
    async with desk.queues.uow() as uow:  # the latest ones, oldest first, each with its files in order
        latest = await uow.conversations.messages(first.conversation_id, limit=2, include_notes=True)
        assert [(m.id, m.attachments) for m in latest] == [(second.id, ()), (note.id, note.attachments)]
        latest = await uow.conversations.messages(first.conversation_id, limit=3)
        assert [(m.id, m.attachments) for m in latest] == [(first.id, first.attachments), (second.id, ())]
        assert await uow.connection.scalar(select(Message.request_id).where(Message.id == first.id)) == ticket


async def test_a_staff_reply_through_the_api_takes_the_signed_in_agent_from_memory_until_they_are_deactivated(
        desk: Desk) -> None:
    admin, agent, customer = await make_user(desk, role='admin'), await make_user(desk, role='agent'), \
        await make_user(desk)
    async with desk.queues.uow() as uow:
        support = await uow.connection.scalar(select(Queue.id).where(Queue.name == 'Support'))
    ticket = await desk.queue_tickets.file(actor_id=customer.id, queue_id=support, title='Printer jams', text='Help')
    await desk.queue_tickets.write(actor_id=agent.id, request_id=ticket, text='Looking at it.')  # the agent: known
    with sent(desk) as statements:
        answer = await desk.queue_tickets.write(actor_id=agent.id, request_id=ticket, text='Fixed: the tray was bent.')
    assert not [s for s in statements if s.startswith(('SELECT users.id', 'SELECT users.display_name'))]
    assert len([s for s in statements if s.startswith('UPDATE requests')]) == 1  # moved up and read by staff at once
    # The thread came with the ticket, and was counted and read by staff up to the answer in one statement.
    assert not [s for s in statements if s.startswith('SELECT conversations')]
    # On PostgreSQL one statement adds the message and moves its conversation's count and the read markers.
    counted = [s for s in statements if s.startswith(('UPDATE conversations', 'WITH added'))]
    marked = [s for s in statements if s.startswith('UPDATE read_markers')]
    assert len(counted) == 1 and len(marked) == (1 if desk.database.is_sqlite else 0)
    async with desk.queues.uow() as uow:
        assert await uow.conversations.staff_read_upto(answer.conversation_id) == answer.id
    with sent(desk) as statements:
        await desk.queue_tickets.write(actor_id=customer.id, request_id=ticket, text='Thanks!')
    assert not [s for s in statements if s.startswith('SELECT conversations')]
    async with desk.queues.uow() as uow:  # the customer's message: still unread by staff
        assert await uow.conversations.staff_read_upto(answer.conversation_id) == answer.id
    await desk.users.set_active(actor_id=admin.id, user_id=agent.id, active=False)
    with pytest.raises(NotSignedIn):
        await desk.queue_tickets.write(actor_id=agent.id, request_id=ticket, text='One more thing.')


async def test_the_desks_counts_per_status_are_one_statement_and_match_its_rows(desk: Desk) -> None:
    agent, customer = await make_user(desk, role='agent'), await make_user(desk)
    for number in range(3):
        await desk.support.write(actor_id=(await make_user(desk)).id, text=f'Scanner {number}')
    await desk.support.write(actor_id=customer.id, text='Printer')
    query = InboxQuery(assignee='unassigned')
    with sent(desk) as statements:
        page = await desk.tickets.inbox(viewer_id=agent.id, query=query)
    counted = [statement for statement in statements if 'count' in statement.lower() or tallied(desk) in statement]
    assert len(counted) == 1 and tallied(desk) in counted[0]  # not one count per status
    assert page.total == len(page.rows) == 4 == sum(page.counts.values())


async def test_the_desks_rows_read_again_unchanged_are_the_same_objects(desk: Desk) -> None:
    """Fifty agents' lists compare their rows with every read: by identity, not field by field in each."""
    agent = await make_user(desk, role='agent')
    for number in range(2):
        await desk.support.write(actor_id=(await make_user(desk)).id, text=f'Scanner {number}')
    first = await desk.tickets.inbox(viewer_id=agent.id, query=InboxQuery())
    newer, older = first.rows
    await desk.support.write(actor_id=(await make_user(desk)).id, text='Printer')  # a new read, a new page
    again = await desk.tickets.inbox(viewer_id=agent.id, query=InboxQuery())
    assert again is not first and len(again.rows) == 3
    assert again.rows[1] is newer and again.rows[2] is older


async def test_a_status_change_answers_with_what_it_wrote_as_a_new_read_would(desk: Desk) -> None:
    agent, customer = await make_user(desk, role='agent'), await make_user(desk)
    ticket = await make_request(desk, customer, title='Printer jams')
    view = await desk.requests.open(viewer_id=agent.id, request_id=ticket)  # the agent: now known
    closing = next(status for status in view.next_statuses if status.kind == 'closed')
    for target in (closing, None):  # closed, then open again
        if target is None:
            target = next(status for status in view.next_statuses if status.kind != 'closed')
        with sent(desk) as statements:
            view = await desk.requests.change_status(actor_id=agent.id, request_id=ticket, status_id=target.id)
        assert view == await desk.requests.open(viewer_id=agent.id, request_id=ticket)
        assert view.status == target and (view.request.closed_at is not None) == (target.kind == 'closed')
        assert not [s for s in statements if s.startswith('SELECT users')]  # the agent from memory
        assert len([s for s in statements if s.startswith('SELECT requests')]) == 1  # not read again afterwards
    customer_view = await desk.requests.change_status(actor_id=customer.id, request_id=ticket, status_id=closing.id)
    assert customer_view.is_author and customer_view == await desk.requests.open(viewer_id=customer.id,
                                                                                 request_id=ticket)
