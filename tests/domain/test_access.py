"""Staff-only and admin-only services: one guard each, and each service says what it refuses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from domain import permissions
from domain.desk import Desk
from domain.errors import NotSignedIn, PermissionDenied
from tests.domain.test_permissions import a_user
from tests.factories import make_user

Ask = Callable[[Desk, int], Awaitable[object]]
REFUSALS: list[tuple[str, str, Ask, str]] = [
    ('customer', 'the queues', lambda d, a: d.queues.overview(actor_id=a), 'Only staff can see queues and workflows.'),
    ('agent', 'a new workflow', lambda d, a: d.queues.create_workflow(actor_id=a, name='X', statuses=[('A', 'open')]),
     'Only admins can change queues and workflows.'),
    ('customer', 'the rules', lambda d, a: d.rules.overview(actor_id=a), 'Only staff can see the rules.'),
    ('agent', 'a rule moved', lambda d, a: d.rules.move(actor_id=a, rule_id=1, offset=1),
     'Only admins can change the rules.'),
    ('customer', 'the ticket inbox', lambda d, a: d.tickets.mark_read(viewer_id=a, request_id=1),
     'Only staff can work tickets.'),
    ('agent', 'the jobs', lambda d, a: d.jobs.overview(actor_id=a), 'Only admins see the jobs.'),
    ('agent', 'the users', lambda d, a: d.users.list(actor_id=a), 'Only admins manage users.'),
    ('agent', 'the audit log', lambda d, a: d.audit.kinds(actor_id=a), 'Only admins see the audit log.'),
]


@pytest.mark.parametrize('role, what, ask, refusal', REFUSALS, ids=[row[1] for row in REFUSALS])
async def test_a_service_refuses_a_role_below_it_in_its_own_words(desk: Desk, role: str, what: str, ask: Ask,
                                                                 refusal: str) -> None:
    actor = await make_user(desk, role=role)
    with pytest.raises(PermissionDenied) as refused:
        await ask(desk, actor.id)
    assert refused.value.message == refusal


async def test_a_visitor_is_asked_to_sign_in_before_any_staff_or_admin_check(desk: Desk) -> None:
    with pytest.raises(NotSignedIn):
        await desk.jobs.overview(actor_id=None)
    with pytest.raises(NotSignedIn):
        await desk.queues.overview(actor_id=None)


@pytest.mark.parametrize('role, staff, admin', [('customer', False, False), ('agent', True, False),
                                                ('admin', True, True)])
def test_admins_are_staff_and_agents_are_not_admins(role: str, staff: bool, admin: bool) -> None:
    assert permissions.is_staff(a_user(1, role)) is staff
    assert permissions.is_admin(a_user(1, role)) is admin
    assert not permissions.is_admin(None)
