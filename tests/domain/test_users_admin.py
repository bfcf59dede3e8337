"""Admin → Users on both databases: create staff, change roles, deactivate — and the sessions that end."""

from __future__ import annotations

import pytest

from domain.desk import Desk
from domain.errors import Conflict, InvalidInput, PermissionDenied
from domain.events import SessionsRevoked
from domain.tickets.views import InboxQuery
from tests.factories import PASSWORD, make_user, unique


async def test_an_admin_creates_an_agent_who_can_sign_in(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    name = unique()
    agent = await desk.users.create(actor_id=admin.id, username=name, password=PASSWORD, role='agent')
    assert agent.role == 'agent'
    signed_in, _token = await desk.accounts.sign_in(username=name, password=PASSWORD)
    assert signed_in.id == agent.id


@pytest.mark.parametrize('role', ['customer', 'agent'])
async def test_only_admins_manage_users(desk: Desk, role: str) -> None:
    actor, other = await make_user(desk, role=role), await make_user(desk)
    with pytest.raises(PermissionDenied):
        await desk.users.list(actor_id=actor.id)
    with pytest.raises(PermissionDenied):
        await desk.users.create(actor_id=actor.id, username=unique(), password=PASSWORD, role='admin')
    with pytest.raises(PermissionDenied):
        await desk.users.set_role(actor_id=actor.id, user_id=other.id, role='admin')
    with pytest.raises(PermissionDenied):
        await desk.users.set_active(actor_id=actor.id, user_id=other.id, active=False)


async def test_deactivating_ends_sessions_and_sign_in_but_keeps_history(desk: Desk) -> None:
    admin, customer = await make_user(desk, role='admin'), await make_user(desk)
    message = await desk.support.write(actor_id=customer.id, text='my history')
    _user, token = await desk.accounts.sign_in(username=customer.username, password=PASSWORD)
    revoked: list[object] = []
    desk.hub.subscribe(SessionsRevoked, revoked.append, key=customer.id)
    await desk.users.set_active(actor_id=admin.id, user_id=customer.id, active=False)
    assert revoked == [SessionsRevoked(customer.id)]
    assert await desk.accounts.session_user(token) is None
    with pytest.raises(InvalidInput):
        await desk.accounts.sign_in(username=customer.username, password=PASSWORD)
    agent = await make_user(desk, role='agent')
    [row] = (await desk.tickets.inbox(viewer_id=agent.id, query=InboxQuery())).rows
    ticket = await desk.tickets.ticket(viewer_id=agent.id, request_id=row.id)
    assert [m.id for m in ticket.messages] == [message.id]  # the history stays
    await desk.users.set_active(actor_id=admin.id, user_id=customer.id, active=True)
    await desk.accounts.sign_in(username=customer.username, password=PASSWORD)


async def test_the_last_admin_stays(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    with pytest.raises(InvalidInput):
        await desk.users.set_active(actor_id=admin.id, user_id=admin.id, active=False)
    with pytest.raises(Conflict):
        await desk.users.set_role(actor_id=admin.id, user_id=admin.id, role='agent')
    second = await make_user(desk, role='admin')
    await desk.users.set_role(actor_id=second.id, user_id=admin.id, role='agent')
    demoted = await desk.accounts.get(admin.id)
    assert demoted is not None and demoted.role == 'agent'


async def test_the_list_pages_and_searches(desk: Desk) -> None:
    admin = await make_user(desk, role='admin', username='zz_admin')
    for n in range(3):
        await make_user(desk, username=f'findme{n}')
    found = await desk.users.list(actor_id=admin.id, search='FINDME')
    assert [u.username for u in found.rows] == ['findme0', 'findme1', 'findme2'] and not found.has_next
    with pytest.raises(InvalidInput):
        await desk.users.create(actor_id=admin.id, username=unique(), password=PASSWORD, role='owner')


async def test_staff_find_users_by_name_username_or_email_and_customers_may_not(desk: Desk) -> None:
    agent, customer = await make_user(desk, role='agent'), await make_user(desk)
    grace = await make_user(desk, username=unique('grace'))
    await desk.preferences.set_notifications(actor_id=grace.id, email=f'{grace.username}@navy.example', events=[])
    await desk.telegram.intake(chat_id=424242, from_name='Ada Lovelace', text='hi', message_ref=1)
    names = {u.id: u for u in await desk.users.search(actor_id=agent.id, text='LOVELACE')}
    assert [u.display_name for u in names.values()] == ['Ada Lovelace']  # by name, in any case
    assert grace.id in [u.id for u in await desk.users.search(actor_id=agent.id, text=grace.username.upper())]
    by_email = await desk.users.search(actor_id=agent.id, text='NAVY.example')
    assert [(u.id, u.email) for u in by_email] == [(grace.id, f'{grace.username}@navy.example')]
    staff = await desk.users.search(actor_id=agent.id, text='', staff_only=True)
    assert agent.id in [u.id for u in staff] and grace.id not in [u.id for u in staff]
    assert [u.id for u in await desk.users.choices(actor_id=agent.id, user_ids=[grace.id])] == [grace.id]
    with pytest.raises(PermissionDenied):
        await desk.users.search(actor_id=customer.id, text='grace')
