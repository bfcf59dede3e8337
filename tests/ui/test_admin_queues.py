"""Admin → Queues in the browser: admins edit queues and workflows, agents look, everyone else finds nothing."""

from __future__ import annotations

from itertools import pairwise

from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from domain.queues.checks import STATUS_MAX
from domain.queues.service import WorkflowSummary
from tests.factories import make_request, make_stored_workflow, make_user, unique
from tests.ui.steps import signed_in


async def shipped(desk: Desk, actor_id: int, name: str) -> WorkflowSummary:
    return next(w for w in await desk.queues.list_workflows(actor_id=actor_id) if w.name == name)


async def open_admin_queues(user: User) -> None:
    await user.open('/admin/queues')
    await user.should_see('Workflows')


async def chained(desk: Desk, admin_id: int, size: int) -> WorkflowSummary:
    """A workflow of `size` statuses, each leading to the next."""
    workflow_id = await desk.queues.create_workflow(actor_id=admin_id, name=unique('Chain '),
                                                    statuses=[(f'Step {n}', 'active') for n in range(size)])
    ids = [s.id for s in (await desk.queues.workflow(actor_id=admin_id, workflow_id=workflow_id)).statuses]
    await desk.queues.set_transitions(actor_id=admin_id, workflow_id=workflow_id, transitions=pairwise(ids))
    return await desk.queues.workflow(actor_id=admin_id, workflow_id=workflow_id)


def elements_of(user: User, marker: str) -> int:
    [editor] = user.find(marker=marker).elements
    return len(list(editor.descendants()))


async def test_an_admin_adds_a_status_and_sees_it(user: User, running_desk: Desk) -> None:
    admin = await signed_in(user, running_desk, role='admin')
    ticket = await shipped(running_desk, admin.id, 'Ticket')
    await open_admin_queues(user)
    with user.scope(marker=f'add-status-{ticket.id}'):
        user.find(kind=ui.input, content='Status name').type('Waiting for parts')
        user.find(kind=ui.button, content='Add status').click()
    await user.should_see(kind=ui.item_label, content='Waiting for parts')
    changed = await shipped(running_desk, admin.id, 'Ticket')
    assert [(s.name, s.kind) for s in changed.statuses][-1] == ('Waiting for parts', 'active')
    await user.should_see(marker=f'moves-of-{changed.statuses[-1].id}')


async def test_an_admin_chooses_where_a_status_can_move_in_one_select(user: User, running_desk: Desk) -> None:
    admin = await signed_in(user, running_desk, role='admin')
    workflow = await chained(running_desk, admin.id, 3)
    first, second, third = workflow.statuses
    await open_admin_queues(user)
    await user.should_see(marker=f'transition-{first.id}-{second.id}')
    user.find(marker=f'edit-moves-{first.id}').click()
    await user.should_see(marker='moves-dialog')
    with user.scope(marker='moves-dialog'):
        user.find(kind=ui.select, content='Can move to').click()
        user.find('Step 2').click()  # ticked
        user.find('Step 1').click()  # unticked
        user.find(kind=ui.button, content='Save').click()
    await user.should_see(marker=f'transition-{first.id}-{third.id}')
    await user.should_not_see(marker=f'transition-{first.id}-{second.id}')
    stored = await running_desk.queues.workflow(actor_id=admin.id, workflow_id=workflow.id)
    assert stored.transitions == {(first.id, third.id), (second.id, third.id)}  # the other status kept its move


async def test_an_empty_status_name_is_shown_on_the_field(user: User, running_desk: Desk) -> None:
    admin = await signed_in(user, running_desk, role='admin')
    order = await shipped(running_desk, admin.id, 'Order')
    await open_admin_queues(user)
    with user.scope(marker=f'add-status-{order.id}'):
        user.find(kind=ui.input, content='Status name').type('   ')
        user.find(kind=ui.button, content='Add status').click()
        await user.should_see('Enter a name.')
    assert len((await shipped(running_desk, admin.id, 'Order')).statuses) == 4


async def test_a_status_past_the_limit_is_refused_on_the_name_field(user: User, running_desk: Desk) -> None:
    admin = await signed_in(user, running_desk, role='admin')
    full = await chained(running_desk, admin.id, STATUS_MAX)
    await open_admin_queues(user)
    with user.scope(marker=f'add-status-{full.id}'):
        user.find(kind=ui.input, content='Status name').type('One more')
        user.find(kind=ui.button, content='Add status').click()
        await user.should_see(f'A workflow has at most {STATUS_MAX} statuses.')
    assert len((await running_desk.queues.workflow(actor_id=admin.id, workflow_id=full.id)).statuses) == STATUS_MAX


async def test_deleting_a_status_in_use_shows_the_refusal_and_offers_the_move(user: User,
                                                                               running_desk: Desk) -> None:
    admin = await signed_in(user, running_desk, role='admin')
    request_id = await make_request(running_desk, await make_user(running_desk))
    ticket = await shipped(running_desk, admin.id, 'Ticket')
    opened, in_progress = ticket.statuses[0], ticket.statuses[1]
    await open_admin_queues(user)
    user.find(marker=f'delete-{opened.id}').click()
    await user.should_see('Delete status "Open"?')
    user.find(marker='confirm-delete').click()
    await user.should_see('move them first.')
    await user.should_see(kind=ui.select, content='Move requests to')
    assert opened in (await shipped(running_desk, admin.id, 'Ticket')).statuses  # refused: nothing changed
    user.find(kind=ui.button, content='Move and delete').click()
    await user.should_not_see(marker=f'status-{opened.id}')
    view = await running_desk.requests.open(viewer_id=admin.id, request_id=request_id)
    assert view.status.id == in_progress.id


async def test_an_admin_creates_a_queue_in_a_dialog(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='admin')
    await open_admin_queues(user)
    name = unique('Orders ')
    user.find(marker='new-queue').click()
    await user.should_see(marker='queue-dialog')
    with user.scope(marker='queue-dialog'):
        user.find(kind=ui.input, content='Name').type(name)
        user.find('Workflow').click()
        user.find('Order').click()
        user.find(kind=ui.button, content='Create').click()
    await user.should_see(name)
    await user.should_see('Workflow: Order')


async def test_an_agent_sees_the_queues_read_only(user: User, running_desk: Desk) -> None:
    agent = await signed_in(user, running_desk, role='agent')
    ticket = await shipped(running_desk, agent.id, 'Ticket')
    await open_admin_queues(user)
    await user.should_see(marker='read-only')
    await user.should_see('Support')
    await user.should_not_see(marker='new-queue')
    await user.should_not_see(kind=ui.button, content='Add status')
    source, target = min(ticket.transitions)
    await user.should_see(marker=f'transition-{source}-{target}')  # its moves, as chips
    await user.should_not_see(marker=f'edit-moves-{ticket.statuses[0].id}')


async def test_a_customer_is_refused_and_a_visitor_asked_to_sign_in(user: User, create_user,
                                                                  running_desk: Desk) -> None:
    await signed_in(user, running_desk)
    await user.open('/admin/queues')
    await user.should_see(marker='no-access')
    await user.should_not_see('Workflows')
    visitor = create_user()
    await visitor.open('/admin/queues')
    await visitor.should_see(marker='sign-in-needed')


async def test_the_editor_grows_linearly_with_the_statuses_not_with_their_square(user: User,
                                                                                running_desk: Desk) -> None:
    admin = await signed_in(user, running_desk, role='admin')
    small, large = await chained(running_desk, admin.id, 10), await chained(running_desk, admin.id, 30)
    await open_admin_queues(user)
    await user.should_see(marker=f'workflow-{large.id}')
    # Linear growth with any fixed part stays within 3x for 3x the statuses; a status x status grid was about 6x.
    small_count, large_count = elements_of(user, f'workflow-{small.id}'), elements_of(user, f'workflow-{large.id}')
    assert large_count <= 3 * small_count


async def test_a_workflow_stored_past_the_limit_opens_a_page_of_statuses_at_a_time(user: User,
                                                                                   running_desk: Desk) -> None:
    admin = await signed_in(user, running_desk, role='admin')
    full, old = await chained(running_desk, admin.id, STATUS_MAX), await make_stored_workflow(running_desk, admin,
                                                                                              3 * STATUS_MAX)
    await open_admin_queues(user)
    await user.should_see(marker=f'status-pages-{old.id}')
    assert elements_of(user, f'workflow-{old.id}') <= elements_of(user, f'workflow-{full.id}') + 10
    await user.should_see(marker=f'status-{old.statuses[0].id}')
    await user.should_not_see(marker=f'status-{old.statuses[STATUS_MAX].id}')
    user.find(kind=ui.pagination).elements.pop().set_value(2)
    await user.should_see(marker=f'status-{old.statuses[STATUS_MAX].id}')
    await user.should_not_see(marker=f'status-{old.statuses[0].id}')
