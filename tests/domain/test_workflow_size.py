"""A workflow keeps at most STATUS_MAX statuses, and one stored before the cap still opens and can shrink."""

from __future__ import annotations

import pytest

from domain.desk import Desk
from domain.errors import InvalidInput
from domain.queues.checks import STATUS_MAX
from tests.factories import make_stored_workflow, make_user, unique


def statuses(count: int) -> list[tuple[str, str]]:
    return [(f'Step {n}', 'open' if n == 0 else 'active') for n in range(count)]


async def test_a_workflow_of_one_status_too_many_is_refused_and_nothing_is_stored(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    name = unique('Huge ')
    with pytest.raises(InvalidInput) as refused:
        await desk.queues.create_workflow(actor_id=admin.id, name=name, statuses=statuses(STATUS_MAX + 1))
    assert refused.value.field == 'status'
    assert refused.value.message == f'A workflow has at most {STATUS_MAX} statuses.'
    assert all(w.name != name for w in await desk.queues.list_workflows(actor_id=admin.id))


async def test_a_workflow_of_the_most_statuses_is_accepted_but_gets_no_more(desk: Desk) -> None:
    assert STATUS_MAX == 30  # a help desk's workflow needs far fewer; the editor stays quick with this many
    admin = await make_user(desk, role='admin')
    workflow_id = await desk.queues.create_workflow(actor_id=admin.id, name=unique('Full '),
                                                    statuses=statuses(STATUS_MAX))
    with pytest.raises(InvalidInput) as refused:
        await desk.queues.add_status(actor_id=admin.id, workflow_id=workflow_id, name='One more', kind='active')
    assert (refused.value.field, refused.value.params) == ('name', {'max': STATUS_MAX})
    assert len((await desk.queues.workflow(actor_id=admin.id, workflow_id=workflow_id)).statuses) == STATUS_MAX


async def test_a_workflow_stored_before_the_cap_still_opens_and_can_shrink(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    workflow = await make_stored_workflow(desk, admin, STATUS_MAX + 10)
    assert len(workflow.statuses) == STATUS_MAX + 10
    assert any(w.id == workflow.id for w in (await desk.queues.overview(actor_id=admin.id)).workflows)
    with pytest.raises(InvalidInput):
        await desk.queues.add_status(actor_id=admin.id, workflow_id=workflow.id, name='More', kind='active')
    first, second, last = workflow.statuses[0], workflow.statuses[1], workflow.statuses[-1]
    await desk.queues.rename_status(actor_id=admin.id, status_id=second.id, name='Renamed')
    await desk.queues.set_transitions(actor_id=admin.id, workflow_id=workflow.id, transitions=[(first.id, last.id)])
    await desk.queues.delete_status(actor_id=admin.id, status_id=last.id)
    changed = await desk.queues.workflow(actor_id=admin.id, workflow_id=workflow.id)
    assert (len(changed.statuses), changed.statuses[1].name) == (STATUS_MAX + 9, 'Renamed')
