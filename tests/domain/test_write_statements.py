"""The writes behind the API's busiest calls send only what they must: the rule engine's check whether a rule
could apply reads nothing the write already knows, and one statement moves every participant's read marker."""

from __future__ import annotations

from domain.desk import Desk
from tests.domain.rule_steps import make_rule
from tests.domain.statements import message_added, sent
from tests.factories import make_request, make_user


async def test_filing_a_request_and_writing_in_a_conversation_read_nothing_the_write_knows(desk: Desk) -> None:
    admin, author, responder = await make_user(desk, role='admin'), await make_user(desk), await make_user(desk)
    support = next(q for q in (await desk.rules.options(actor_id=admin.id)).queues if q.name == 'Support')
    # A rule about another queue: every event on the board asks which queue its request is in.
    for trigger in ('request.created', 'message.received'):
        await make_rule(desk, admin, trigger, [{'field': 'queue', 'op': 'is', 'value': support.id}],
                        [{'type': 'note', 'text': 'only on support'}])
    request_id = await make_request(desk, author)
    first = await desk.conversations.post(actor_id=responder.id, request_id=request_id, text='first')
    await desk.conversations.post(actor_id=author.id, request_id=request_id, text='second',
                                  conversation_id=first.conversation_id)  # whose conversation it is: now known

    with sent(desk) as filing:
        filed = await desk.requests.create(actor_id=author.id, title='Projector in room 4 is dim')
        await desk.requests.open(viewer_id=author.id, request_id=filed)  # what the API answers with
    assert [statement.split()[:3] for statement in filing] == [['INSERT', 'INTO', 'requests'],
                                                               ['INSERT', 'INTO', 'events']]

    with sent(desk) as writing:
        await desk.conversations.post(actor_id=author.id, request_id=request_id, text='third',
                                      conversation_id=first.conversation_id)
    assert not [statement for statement in writing if statement.startswith('SELECT conversations.')]
    assert [statement for statement in writing if statement.startswith('SELECT requests.id')]  # in the write
    assert not [statement for statement in writing if statement.startswith('SELECT requests.queue_id')]
    # The author's marker, the others' unread counts and who takes part (for their badges): one statement.
    assert [statement.split()[:2] for statement in writing] == [
        ['SELECT', 'requests.id,'], ['UPDATE', 'requests'], *message_added(desk), ['INSERT', 'INTO']]


async def test_a_customer_s_support_message_finds_their_open_ticket_and_its_conversation_in_one_read(
        desk: Desk) -> None:
    customer = await make_user(desk)
    first = await desk.support.write(actor_id=customer.id, text='The VPN drops every ten minutes.')
    with sent(desk) as writing:
        second = await desk.support.write(actor_id=customer.id, text='It happened again just now.')
    assert second.conversation_id == first.conversation_id
    assert [statement.split()[:3] for statement in writing] == [
        ['SELECT', 'requests.id,', 'conversations.id'], ['UPDATE', 'requests', 'SET'],
        *message_added(desk, words=3), ['INSERT', 'INTO', 'events']]


async def test_an_agents_first_answer_takes_the_ticket_last_before_the_commit(desk: Desk) -> None:
    """Taking a ticket moves it between per-status counts, a row every ticket taken at the moment shares and locks
    until commit: taken last, the agents answering at once wait for one statement, not each other's whole write."""
    agent, customer = await make_user(desk, role='agent'), await make_user(desk)
    await desk.support.write(actor_id=customer.id, text='My laptop will not start.')
    ticket_id = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket_id is not None
    with sent(desk) as answering:
        await desk.tickets.reply(actor_id=agent.id, request_id=ticket_id, text='Hold the power button for 10 s.')
    before_the_events = [statement for statement in answering
                         if not statement.startswith(('SELECT', 'INSERT INTO events'))]
    assert before_the_events[-1].startswith('UPDATE requests SET assignee_id')
    timeline = await desk.tickets.timeline(viewer_id=agent.id, request_id=ticket_id)
    assert [event.kind for event in timeline][-2:] == ['assigned', 'message.posted']  # "took it", then the answer

