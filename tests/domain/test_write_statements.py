"""The writes behind the API's busiest calls send only what they must: the rule engine's check whether a rule
could apply reads nothing the write already knows, and one statement moves every participant's read marker."""

from __future__ import annotations

from domain.desk import Desk
from tests.domain.rule_steps import make_rule
from tests.domain.statements import sent
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
        ['SELECT', 'requests.id,'], ['UPDATE', 'requests'], ['INSERT', 'INTO'], ['UPDATE', 'conversations'],
        ['UPDATE', 'read_markers'], ['INSERT', 'INTO']]


async def test_a_customer_s_support_message_finds_their_open_ticket_and_its_conversation_in_one_read(
        desk: Desk) -> None:
    customer = await make_user(desk)
    first = await desk.support.write(actor_id=customer.id, text='The VPN drops every ten minutes.')
    with sent(desk) as writing:
        second = await desk.support.write(actor_id=customer.id, text='It happened again just now.')
    assert second.conversation_id == first.conversation_id
    assert [statement.split()[:3] for statement in writing] == [
        ['SELECT', 'requests.id,', 'conversations.id'], ['UPDATE', 'requests', 'SET'], ['INSERT', 'INTO', 'messages'],
        ['UPDATE', 'conversations', 'SET'], ['UPDATE', 'read_markers', 'SET'], ['INSERT', 'INTO', 'events']]
