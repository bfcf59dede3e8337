"""Every role against every action, on their own and others' requests: the expected allow or deny."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from domain.desk import Desk
from domain.errors import DomainError, NotFound, NotSignedIn, PermissionDenied
from domain.files import Upload
from domain.tickets.views import InboxQuery
from tests.factories import PASSWORD, make_request, make_user, unique

ROLES = ('visitor', 'author', 'other customer', 'agent', 'admin')


@dataclass
class World:
    desk: Desk
    ids: dict[str, int | None]
    board_id: int
    ticket_id: int
    file_id: int
    statuses: dict[str, int]


async def build(desk: Desk) -> World:
    author, other = await make_user(desk), await make_user(desk)
    agent, admin = await make_user(desk, role='agent'), await make_user(desk, role='admin')
    board_id = await make_request(desk, author)
    message = await desk.support.write(actor_id=author.id, text='help', files=[Upload('a.txt', b'a')])
    chat = await desk.support.chat(viewer_id=author.id)
    assert chat.open_ticket_id is not None
    statuses = {s.name: s.id for s in await desk.requests.statuses()}
    ids = {'visitor': None, 'author': author.id, 'other customer': other.id, 'agent': agent.id, 'admin': admin.id}
    return World(desk, ids, board_id, chat.open_ticket_id, message.attachments[0].id, statuses)


Action = Callable[[World, int | None], Awaitable[object]]
ACTIONS: dict[str, tuple[Action, set[str]]] = {
    'read a board request': (lambda w, a: w.desk.requests.open(viewer_id=a, request_id=w.board_id), set(ROLES)),
    'respond to a board request': (
        lambda w, a: w.desk.conversations.post(actor_id=a, request_id=w.board_id, text='me'),
        {'other customer', 'agent', 'admin'}),
    'change a board request status': (
        lambda w, a: w.desk.requests.change_status(actor_id=a, request_id=w.board_id,
                                                   status_id=w.statuses['In progress']),
        {'author', 'agent', 'admin'}),
    'read a support ticket': (lambda w, a: w.desk.requests.open(viewer_id=a, request_id=w.ticket_id),
                              {'author', 'agent', 'admin'}),
    'open a ticket in the desk': (lambda w, a: w.desk.tickets.ticket(viewer_id=a, request_id=w.ticket_id),
                                  {'agent', 'admin'}),
    'reply to a ticket': (lambda w, a: w.desk.tickets.reply(actor_id=a, request_id=w.ticket_id, text='hi'),
                          {'agent', 'admin'}),
    'add an internal note': (
        lambda w, a: w.desk.tickets.reply(actor_id=a, request_id=w.ticket_id, text='n', note=True),
        {'agent', 'admin'}),
    'take a ticket': (lambda w, a: w.desk.tickets.take(actor_id=a, request_id=w.ticket_id), {'agent', 'admin'}),
    'see the timeline': (lambda w, a: w.desk.tickets.timeline(viewer_id=a, request_id=w.ticket_id),
                         {'agent', 'admin'}),
    "see a ticket's context": (lambda w, a: w.desk.tickets.context(viewer_id=a, request_id=w.ticket_id),
                               {'agent', 'admin'}),
    'see the inbox': (lambda w, a: w.desk.tickets.inbox(viewer_id=a, query=InboxQuery()), {'agent', 'admin'}),
    'close a support ticket': (
        lambda w, a: w.desk.requests.change_status(actor_id=a, request_id=w.ticket_id,
                                                   status_id=w.statuses['Closed']),
        {'author', 'agent', 'admin'}),
    'download a ticket file': (lambda w, a: w.desk.files.open(viewer_id=a, attachment_id=w.file_id),
                               {'author', 'agent', 'admin'}),
    'write in the support chat': (lambda w, a: w.desk.support.write(actor_id=a, text='more'),
                                  {'author', 'other customer', 'agent', 'admin'}),
    'list users': (lambda w, a: w.desk.users.list(actor_id=a), {'admin'}),
    'create a user': (
        lambda w, a: w.desk.users.create(actor_id=a, username=unique(), password=PASSWORD, role='agent'), {'admin'}),
    'read queues and workflows': (lambda w, a: w.desk.queues.list_queues(actor_id=a), {'agent', 'admin'}),
    'create a queue': (
        lambda w, a: w.desk.queues.create_queue(actor_id=a, name=unique('Q'), visibility='private',
                                                workflow_id=1),
        {'admin'}),
}


@pytest.mark.parametrize('role', ROLES)
@pytest.mark.parametrize('action', list(ACTIONS))
async def test_the_permission_matrix(desk: Desk, action: str, role: str) -> None:
    world = await build(desk)
    run, allowed = ACTIONS[action]
    if role in allowed:
        await run(world, world.ids[role])
    else:
        with pytest.raises((PermissionDenied, NotFound, NotSignedIn)) as refused:
            await run(world, world.ids[role])
        assert isinstance(refused.value, DomainError)
