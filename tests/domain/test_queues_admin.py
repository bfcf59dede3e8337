"""Admin → Queues on both databases: queues, workflows edited at run time, and a status in use kept safe."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select, update

from domain.desk import Desk
from domain.errors import Conflict, InvalidInput, NotSignedIn, PermissionDenied
from domain.events import RequestChanged
from domain.queues.service import WorkflowSummary
from storage.models import Event, Queue, Request, utcnow
from storage.rows import UserRow
from tests.factories import make_user, unique


async def new_workflow(desk: Desk, admin: UserRow, *statuses: tuple[str, str]) -> WorkflowSummary:
    """A workflow of its own (unique name), so tests never touch the shipped ones on a shared database."""
    workflow_id = await desk.queues.create_workflow(
        actor_id=admin.id, name=unique('Flow '), statuses=statuses or (('New', 'open'), ('Doing', 'active'),
                                                                        ('Done', 'closed')))
    return await desk.queues.workflow(actor_id=admin.id, workflow_id=workflow_id)


async def file_request(desk: Desk, queue_id: int, status_id: int, author: UserRow, *, closed: bool = False,
                       open_key: int | None = None) -> int:
    """A request placed straight into any queue and status (the services only file on the board)."""
    now = utcnow()
    async with desk.database.connect() as connection:
        request_id = (await connection.execute(insert(Request).values(
            queue_id=queue_id, title='Filed', title_folded='filed', description='', status_id=status_id,
            author_id=author.id, channel='web', created_at=now, updated_at=now, closed_at=now if closed else None,
            open_key=open_key).returning(Request.id))).scalar_one()
        await connection.commit()
        return request_id


async def request_state(desk: Desk, request_id: int) -> tuple[int, bool, int | None]:
    async with desk.database.connect() as connection:
        status_id, closed_at, open_key = (await connection.execute(
            select(Request.status_id, Request.closed_at, Request.open_key).where(Request.id == request_id))).one()
    return status_id, closed_at is not None, open_key


async def event_kinds(desk: Desk, **data: object) -> list[str]:
    async with desk.database.connect() as connection:
        rows = (await connection.execute(select(Event.kind, Event.data).order_by(Event.id))).all()
    return [kind for kind, values in rows if all(values.get(key) == value for key, value in data.items())]


def by_name(workflow: WorkflowSummary) -> dict[str, int]:
    return {status.name: status.id for status in workflow.statuses}


async def test_the_shipped_workflows_are_ticket_and_order(desk: Desk) -> None:
    agent = await make_user(desk, role='agent')
    workflows = {w.name: w for w in await desk.queues.list_workflows(actor_id=agent.id)}
    ticket, order = workflows['Ticket'], workflows['Order']
    assert [(s.name, s.kind) for s in ticket.statuses] == [('Open', 'open'), ('In progress', 'active'),
                                                           ('Closed', 'closed')]
    assert [(s.name, s.kind) for s in order.statuses] == [('PENDING', 'open'), ('PAID', 'active'),
                                                          ('SHIPPED', 'active'), ('CANCELED', 'closed')]
    ids = by_name(ticket)
    assert {(ids['Open'], ids['In progress']), (ids['In progress'], ids['Closed']),
            (ids['Closed'], ids['Open'])} <= ticket.transitions
    ids = by_name(order)
    assert {(ids['PENDING'], ids['PAID']), (ids['PAID'], ids['SHIPPED']),
            (ids['SHIPPED'], ids['CANCELED'])} <= order.transitions
    queues = {q.name: q for q in await desk.queues.list_queues(actor_id=agent.id)}
    assert (queues['Board'].visibility, queues['Board'].workflow) == ('public', 'Ticket')


async def test_an_admin_creates_a_queue_with_a_trimmed_name_and_it_is_listed(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    order = next(w for w in await desk.queues.list_workflows(actor_id=admin.id) if w.name == 'Order')
    name = unique('Orders ')
    queue_id = await desk.queues.create_queue(actor_id=admin.id, name=f'  {name} ', visibility='private',
                                              workflow_id=order.id)
    listed = {q.id: q for q in await desk.queues.list_queues(actor_id=admin.id)}[queue_id]
    assert (listed.name, listed.visibility, listed.workflow) == (name, 'private', 'Order')
    assert 'queue.created' in await event_kinds(desk, name=name)


async def test_an_admin_edits_a_queue_and_a_taken_name_is_a_conflict_on_the_name(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    workflow = await new_workflow(desk, admin)
    first = await desk.queues.create_queue(actor_id=admin.id, name=unique('Q '), visibility='public',
                                           workflow_id=workflow.id)
    taken = unique('Taken ')
    await desk.queues.create_queue(actor_id=admin.id, name=taken, visibility='public', workflow_id=workflow.id)
    await desk.queues.update_queue(actor_id=admin.id, queue_id=first, name='Renamed ' + taken, visibility='private',
                                   workflow_id=workflow.id)
    with pytest.raises(Conflict) as refused:
        await desk.queues.update_queue(actor_id=admin.id, queue_id=first, name=taken.upper(), visibility='public',
                                       workflow_id=workflow.id)
    assert refused.value.field == 'name'
    listed = {q.id: q for q in await desk.queues.list_queues(actor_id=admin.id)}[first]
    assert (listed.name, listed.visibility) == ('Renamed ' + taken, 'private')


async def test_the_built_in_queues_keep_their_name_and_a_queue_with_requests_keeps_its_workflow(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    board = next(q for q in await desk.queues.list_queues(actor_id=admin.id) if q.name == 'Board')
    with pytest.raises(InvalidInput) as refused:
        await desk.queues.update_queue(actor_id=admin.id, queue_id=board.id, name='Noticeboard', visibility='public',
                                       workflow_id=board.workflow_id)
    assert refused.value.field == 'name'
    workflow = await new_workflow(desk, admin)
    queue_id = await desk.queues.create_queue(actor_id=admin.id, name=unique('Q '), visibility='public',
                                              workflow_id=workflow.id)
    await file_request(desk, queue_id, workflow.statuses[0].id, admin)
    other = await new_workflow(desk, admin)
    with pytest.raises(Conflict) as refused:
        await desk.queues.update_queue(actor_id=admin.id, queue_id=queue_id, name='Q', visibility='public',
                                       workflow_id=other.id)
    assert refused.value.field == 'workflow'


@pytest.mark.parametrize('name, visibility, field', [
    ('', 'public', 'name'), ('   ', 'public', 'name'), ('x' * 65, 'public', 'name'), ('Fine', 'secret', 'visibility'),
])
async def test_bad_queue_input_names_the_field(desk: Desk, name: str, visibility: str, field: str) -> None:
    admin = await make_user(desk, role='admin')
    workflow = await new_workflow(desk, admin)
    with pytest.raises(InvalidInput) as refused:
        await desk.queues.create_queue(actor_id=admin.id, name=name, visibility=visibility, workflow_id=workflow.id)
    assert refused.value.field == field


async def test_agents_may_look_but_not_change_and_customers_may_not_even_look(desk: Desk) -> None:
    admin, agent, customer = [await make_user(desk, role=role) for role in ('admin', 'agent', 'customer')]
    workflow = await new_workflow(desk, admin)
    assert any(w.id == workflow.id for w in await desk.queues.list_workflows(actor_id=agent.id))
    view = await desk.queues.overview(actor_id=agent.id)
    assert view.queues and not view.editable
    assert (await desk.queues.overview(actor_id=admin.id)).editable
    for actor in (agent, customer):
        with pytest.raises(PermissionDenied):
            await desk.queues.create_queue(actor_id=actor.id, name=unique('Q '), visibility='public',
                                           workflow_id=workflow.id)
        with pytest.raises(PermissionDenied):
            await desk.queues.add_status(actor_id=actor.id, workflow_id=workflow.id, name='Sneaky', kind='open')
        with pytest.raises(PermissionDenied):
            await desk.queues.delete_status(actor_id=actor.id, status_id=workflow.statuses[-1].id)
    with pytest.raises(PermissionDenied):
        await desk.queues.list_queues(actor_id=customer.id)
    with pytest.raises(NotSignedIn):
        await desk.queues.list_workflows(actor_id=None)
    assert [s.name for s in (await desk.queues.workflow(actor_id=admin.id, workflow_id=workflow.id)).statuses] == \
        ['New', 'Doing', 'Done']


async def test_statuses_are_added_at_the_end_renamed_and_reordered(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    workflow = await new_workflow(desk, admin)
    waiting = await desk.queues.add_status(actor_id=admin.id, workflow_id=workflow.id, name=' Waiting ', kind='active')
    await desk.queues.rename_status(actor_id=admin.id, status_id=waiting, name='On hold')
    ids = by_name(workflow)
    await desk.queues.reorder_statuses(actor_id=admin.id, workflow_id=workflow.id,
                                       status_ids=[ids['Doing'], ids['New'], waiting, ids['Done']])
    changed = await desk.queues.workflow(actor_id=admin.id, workflow_id=workflow.id)
    assert [(s.name, s.kind) for s in changed.statuses] == [('Doing', 'active'), ('New', 'open'),
                                                            ('On hold', 'active'), ('Done', 'closed')]
    assert await event_kinds(desk, workflow_id=workflow.id) == ['workflow.created', 'status.added', 'status.renamed',
                                                                'statuses.reordered']


async def test_status_names_are_unique_in_a_workflow_and_kinds_are_known(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    workflow = await new_workflow(desk, admin)
    with pytest.raises(Conflict) as refused:
        await desk.queues.add_status(actor_id=admin.id, workflow_id=workflow.id, name='doing', kind='active')
    assert (refused.value.field, refused.value.params) == ('name', {'name': 'doing'})
    with pytest.raises(Conflict):
        await desk.queues.rename_status(actor_id=admin.id, status_id=by_name(workflow)['New'], name='Done')
    with pytest.raises(InvalidInput) as refused:
        await desk.queues.add_status(actor_id=admin.id, workflow_id=workflow.id, name='Later', kind='paused')
    assert refused.value.field == 'kind'
    with pytest.raises(Conflict):  # a stale order (a status missing) is not applied
        await desk.queues.reorder_statuses(actor_id=admin.id, workflow_id=workflow.id,
                                           status_ids=[s.id for s in workflow.statuses[:2]])


async def test_transitions_are_replaced_as_a_whole_and_stay_inside_their_workflow(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    workflow, other = await new_workflow(desk, admin), await new_workflow(desk, admin)
    ids = by_name(workflow)
    await desk.queues.set_transitions(actor_id=admin.id, workflow_id=workflow.id,
                                      transitions=[(ids['New'], ids['Doing']), (ids['Doing'], ids['Done'])])
    await desk.queues.set_transitions(actor_id=admin.id, workflow_id=workflow.id,
                                      transitions=[(ids['New'], ids['Done'])])
    assert (await desk.queues.workflow(actor_id=admin.id, workflow_id=workflow.id)).transitions == \
        {(ids['New'], ids['Done'])}
    for pair in ((ids['New'], other.statuses[0].id), (ids['New'], ids['New'])):
        with pytest.raises(InvalidInput) as refused:
            await desk.queues.set_transitions(actor_id=admin.id, workflow_id=workflow.id, transitions=[pair])
        assert refused.value.field == 'transitions'
    assert (await desk.queues.workflow(actor_id=admin.id, workflow_id=workflow.id)).transitions == \
        {(ids['New'], ids['Done'])}


async def test_an_unused_status_is_deleted_with_its_transitions_but_never_the_last_one(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    workflow = await new_workflow(desk, admin)
    ids = by_name(workflow)
    await desk.queues.set_transitions(actor_id=admin.id, workflow_id=workflow.id,
                                      transitions=[(ids['New'], ids['Doing']), (ids['New'], ids['Done'])])
    assert await desk.queues.delete_status(actor_id=admin.id, status_id=ids['Doing']) == 0
    changed = await desk.queues.workflow(actor_id=admin.id, workflow_id=workflow.id)
    assert ([s.name for s in changed.statuses], changed.transitions) == (['New', 'Done'], {(ids['New'], ids['Done'])})
    await desk.queues.delete_status(actor_id=admin.id, status_id=ids['Done'])
    with pytest.raises(InvalidInput):
        await desk.queues.delete_status(actor_id=admin.id, status_id=ids['New'])


async def test_deleting_a_status_in_use_is_refused_with_the_count_and_nothing_changes(desk: Desk) -> None:
    admin, author = await make_user(desk, role='admin'), await make_user(desk)
    workflow = await new_workflow(desk, admin)
    ids = by_name(workflow)
    queue_id = await desk.queues.create_queue(actor_id=admin.id, name=unique('Q '), visibility='private',
                                              workflow_id=workflow.id)
    requests = [await file_request(desk, queue_id, ids['Doing'], author) for _ in range(2)]
    await desk.queues.set_transitions(actor_id=admin.id, workflow_id=workflow.id,
                                      transitions=[(ids['New'], ids['Doing'])])
    with pytest.raises(Conflict) as refused:
        await desk.queues.delete_status(actor_id=admin.id, status_id=ids['Doing'])
    assert refused.value.params == {'count': 2}
    assert refused.value.template == 'This status is used by {count} requests; move them first.'
    assert await desk.queues.workflow(actor_id=admin.id, workflow_id=workflow.id) == workflow.__class__(
        workflow.id, workflow.name, workflow.statuses, frozenset({(ids['New'], ids['Doing'])}))
    assert [(await request_state(desk, r))[0] for r in requests] == [ids['Doing'], ids['Doing']]
    for bad_target in (ids['Doing'], (await new_workflow(desk, admin)).statuses[0].id):
        with pytest.raises(InvalidInput) as refused:
            await desk.queues.delete_status(actor_id=admin.id, status_id=ids['Doing'], move_to_status_id=bad_target)
        assert refused.value.field == 'move_to'
    assert 'status.deleted' not in await event_kinds(desk, workflow_id=workflow.id)


async def test_deleting_with_a_target_moves_the_requests_and_closing_follows_the_kind(desk: Desk) -> None:
    admin, author = await make_user(desk, role='admin'), await make_user(desk)
    workflow = await new_workflow(desk, admin, ('New', 'open'), ('Doing', 'active'), ('Done', 'closed'),
                                  ('Dropped', 'closed'))
    ids = by_name(workflow)
    queue_id = await desk.queues.create_queue(actor_id=admin.id, name=unique('Q '), visibility='private',
                                              workflow_id=workflow.id)
    doing = [await file_request(desk, queue_id, ids['Doing'], author) for _ in range(3)]
    dropped = await file_request(desk, queue_id, ids['Dropped'], author, closed=True)
    seen: list[object] = []
    desk.hub.subscribe(RequestChanged, seen.append)
    assert await desk.queues.delete_status(actor_id=admin.id, status_id=ids['Doing'],
                                           move_to_status_id=ids['Done']) == 3
    assert [await request_state(desk, r) for r in doing] == [(ids['Done'], True, None)] * 3
    assert sorted(e.request_id for e in seen) == doing  # type: ignore[attr-defined]
    await desk.queues.delete_status(actor_id=admin.id, status_id=ids['Dropped'], move_to_status_id=ids['New'])
    assert await request_state(desk, dropped) == (ids['New'], False, None)  # no one-open rule in this queue
    assert [s.name for s in (await desk.queues.workflow(actor_id=admin.id, workflow_id=workflow.id)).statuses] == \
        ['New', 'Done']
    async with desk.database.connect() as connection:
        timeline = (await connection.execute(select(Event.data).where(Event.request_id == doing[0]))).scalars().all()
    assert timeline == [{'from': 'Doing', 'to': 'Done', 'reason': 'status.deleted'}]
    assert await event_kinds(desk, workflow_id=workflow.id, moved=3) == ['status.deleted']


async def test_reopening_by_a_move_keeps_one_open_request_per_author_or_is_refused(desk: Desk) -> None:
    admin, alice, bob = await make_user(desk, role='admin'), await make_user(desk), await make_user(desk)
    workflow = await new_workflow(desk, admin, ('Open', 'open'), ('Closed', 'closed'), ('Archived', 'closed'))
    ids = by_name(workflow)
    queue_id = await desk.queues.create_queue(actor_id=admin.id, name=unique('Desk '), visibility='private',
                                              workflow_id=workflow.id)
    async with desk.database.connect() as connection:
        await connection.execute(update(Queue).where(Queue.id == queue_id).values(one_open_per_author=True))
        await connection.commit()
    bobs = await file_request(desk, queue_id, ids['Archived'], bob, closed=True)
    await desk.queues.delete_status(actor_id=admin.id, status_id=ids['Archived'], move_to_status_id=ids['Open'])
    assert await request_state(desk, bobs) == (ids['Open'], False, bob.id)
    await file_request(desk, queue_id, ids['Open'], alice, open_key=alice.id)
    alices_closed = await file_request(desk, queue_id, ids['Closed'], alice, closed=True)
    with pytest.raises(Conflict) as refused:
        await desk.queues.delete_status(actor_id=admin.id, status_id=ids['Closed'], move_to_status_id=ids['Open'])
    assert refused.value.field == 'move_to'
    assert await request_state(desk, alices_closed) == (ids['Closed'], True, None)
    async with desk.database.connect() as connection:
        moved_events = await connection.scalar(select(func.count()).select_from(Event)
                                            .where(Event.request_id == alices_closed))
    assert moved_events == 0  # the timeline entries went with the refused move
