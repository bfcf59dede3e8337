"""What the hot paths keep out of the database: jobs no rule needs, and queues and workflows read again and again."""

from __future__ import annotations

import asyncio

from domain.desk import Desk
from tests.domain.rule_steps import jobs, make_rule, queue_with
from tests.factories import make_request, make_user


async def test_an_event_no_rule_could_act_on_queues_no_job(desk: Desk) -> None:
    author = await make_user(desk)
    await make_request(desk, author)  # the shipped timed rule looks at Orders only
    assert await jobs(desk, 'rules.request_created') == []


async def test_a_rule_that_could_hold_on_the_events_queue_gets_its_job(desk: Desk) -> None:
    admin, author = await make_user(desk, role='admin'), await make_user(desk)
    queue_id, _statuses = await queue_with(desk, admin, 'Order')
    board = await desk.requests.board()
    await make_rule(desk, admin, 'request.created', [{'field': 'queue', 'op': 'is', 'value': board.id}],
                    [{'type': 'note', 'text': 'Seen by the rule'}])
    request_id = await make_request(desk, author)
    [job] = await jobs(desk, 'rules.request_created')
    assert job.payload['request_id'] == request_id
    other = await desk.requests.create_in(actor_id=author.id, queue_id=queue_id, title='Elsewhere')
    assert other and len(await jobs(desk, 'rules.request_created')) == 1  # that rule cannot hold there


async def _initial_status_of_a_new_request(desk: Desk, author_id: int) -> str:
    request_id = await desk.requests.create(actor_id=author_id, title='Which status?')
    return (await desk.requests.open(viewer_id=author_id, request_id=request_id)).status.name


async def test_a_workflow_edit_is_seen_by_the_next_request_at_once(desk: Desk) -> None:
    admin, author = await make_user(desk, role='admin'), await make_user(desk)
    board = await desk.requests.board()
    statuses = await desk.requests.statuses()
    first = await _initial_status_of_a_new_request(desk, author.id)  # read into the catalog
    assert first == statuses[0].name
    reordered = [statuses[1].id, statuses[0].id, *[status.id for status in statuses[2:]]]
    await desk.queues.reorder_statuses(actor_id=admin.id, workflow_id=board.workflow_id, status_ids=reordered)
    assert await _initial_status_of_a_new_request(desk, author.id) == statuses[1].name
    assert [status.id for status in await desk.requests.statuses()] == reordered


async def test_another_instance_forgets_its_workflows_when_an_admin_edits_one(
        two_instances: tuple[Desk, Desk]) -> None:
    one, other = two_instances
    admin, author = await make_user(one, role='admin'), await make_user(one)
    statuses = await other.requests.statuses()  # cached there
    board = await one.requests.board()
    reordered = [statuses[1].id, statuses[0].id, *[status.id for status in statuses[2:]]]
    await one.queues.reorder_statuses(actor_id=admin.id, workflow_id=board.workflow_id, status_ids=reordered)
    for _ in range(250):
        if [status.id for status in await other.requests.statuses()] == reordered:
            break
        await asyncio.sleep(0.02)
    assert await _initial_status_of_a_new_request(other, author.id) == statuses[1].name
