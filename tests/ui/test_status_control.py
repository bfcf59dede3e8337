"""The one status control, on a ticket as on requests and orders; a refused move puts back what is true."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from domain.errors import InvalidTransition
from tests.factories import make_request, make_user
from tests.ui.steps import choose_status, signed_in
from ui.components.status_chip import StatusChip, status_chip
from ui.components.status_control import StatusControl
from ui.tab import Tab


async def test_staff_move_a_ticket_with_the_control_requests_and_orders_use(user: User, running_desk: Desk) -> None:
    customer = await make_user(running_desk)
    await running_desk.support.write(actor_id=customer.id, text='the printer is on fire')
    ticket_id = (await running_desk.support.chat(viewer_id=customer.id)).open_ticket_id
    agent = await signed_in(user, running_desk, role='agent')
    await user.open(f'/tickets/{ticket_id}')
    await choose_status(user, 'In progress')
    await user.should_see(marker='status', content='In progress')
    assert (await running_desk.tickets.ticket(viewer_id=agent.id, request_id=ticket_id)).status.name \
        == 'In progress'


async def test_a_refused_move_says_why_and_shows_the_status_as_it_is(user: User, running_desk: Desk,
                                                                     monkeypatch) -> None:
    author = await signed_in(user, running_desk)
    request_id = await make_request(running_desk, author)

    async def refuse(**_kwargs: object) -> None:
        raise InvalidTransition('Someone else moved it first.')

    monkeypatch.setattr(running_desk.requests, 'change_status', refuse)
    await user.open(f'/requests/{request_id}')
    await choose_status(user, 'In progress')
    await user.should_see('Someone else moved it first.')
    [control] = user.find(kind=StatusControl).elements
    assert isinstance(control, StatusControl)
    assert control.change.value == control.status_id
    await user.should_see(marker='status', content='Open')


async def test_a_refresh_landing_while_the_move_starts_does_not_undo_the_pick(user: User, running_desk: Desk,
                                                                              monkeypatch) -> None:
    author = await signed_in(user, running_desk)
    request_id = await make_request(running_desk, author)
    await user.open(f'/requests/{request_id}')
    await user.should_see(kind=StatusControl)
    [control] = user.find(kind=StatusControl).elements
    assert isinstance(control, StatusControl)
    actor_id = Tab.actor_id

    async def actor_id_while_a_refresh_lands(tab: Tab) -> int | None:
        await control.reread()  # what a live change or the resync on connect does: shows the stored view again
        return await actor_id(tab)

    monkeypatch.setattr(Tab, 'actor_id', actor_id_while_a_refresh_lands)
    await choose_status(user, 'In progress')
    await user.should_see(marker='status', content='In progress')
    assert (await running_desk.requests.open(viewer_id=author.id, request_id=request_id)).status.name \
        == 'In progress'


async def test_a_chip_shown_again_unchanged_sends_nothing_and_a_new_kind_recolours_it(user: User,
                                                                                    monkeypatch) -> None:
    chips: list[StatusChip] = []

    @ui.page('/chip')
    def page() -> None:
        chips.append(status_chip('Open', 'open'))

    await user.open('/chip')
    await user.should_see('Open')
    [chip] = chips
    sent: list[str] = []
    monkeypatch.setattr(chip, 'update', lambda: sent.append(chip.text))
    chip.show('Open', 'open')  # every open tab of a request, on each of its messages
    assert sent == []
    chip.show('Closed', 'closed')
    assert sent and chip.text == 'Closed' and chip.props['color'] == 'grey-7'
