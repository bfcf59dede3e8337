"""Pages one may not open: a visitor is asked to sign in, a customer on a staff page is told so, unknown pages are
not found — and none of it tells whether a ticket exists."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from domain.desk import Desk
from tests.conftest import PATCHES_ON
from tests.factories import make_user
from tests.ui.steps import should_see_not_found, signed_in

STAFF_PAGES = ['/inbox', '/admin/queues', '/admin/users', '/admin/jobs', '/admin/audit', '/rules', '/admin/webhooks',
               '/admin/widgets']


@pytest.mark.parametrize('path', STAFF_PAGES)
async def test_a_visitor_on_a_staff_page_is_asked_to_sign_in_and_comes_back_after(user: User, running_desk: Desk,
                                                                                  path: str) -> None:
    await user.open(path)
    await user.should_see(marker='sign-in-needed')
    await user.should_not_see('This page does not exist.')
    [link] = user.find(marker='sign-in-link').elements
    assert link.props['href'] == f'/login?redirect_to={path.replace("/", "%2F")}'


@pytest.mark.parametrize('path', STAFF_PAGES)
async def test_a_customer_on_a_staff_page_is_told_they_have_no_access(user: User, running_desk: Desk,
                                                                      path: str) -> None:
    await signed_in(user, running_desk)
    await user.open(path)
    await user.should_see('You do not have access to this page.')
    await user.should_not_see('This page does not exist.')


async def test_a_customer_gets_the_same_answer_for_a_ticket_that_exists_and_one_that_does_not(
        user: User, running_desk: Desk) -> None:
    customer = await signed_in(user, running_desk)
    other = await make_user(running_desk)
    await running_desk.support.write(actor_id=other.id, text='somebody else')
    ticket_id = (await running_desk.support.chat(viewer_id=other.id)).open_ticket_id
    assert ticket_id is not None
    await running_desk.support.write(actor_id=customer.id, text='mine')
    own = (await running_desk.support.chat(viewer_id=customer.id)).open_ticket_id
    for path in (f'/tickets/{ticket_id}', f'/tickets/{own}', f'/tickets/{ticket_id + 1000}', '/tickets/x'):
        await user.open(path)
        await user.should_see('You do not have access to this page.')
        await user.should_not_see('This ticket does not exist.')
        await user.should_not_see('somebody else')


async def test_a_visitor_asking_for_a_ticket_is_asked_to_sign_in_whether_it_exists_or_not(
        user: User, running_desk: Desk) -> None:
    other = await make_user(running_desk)
    await running_desk.support.write(actor_id=other.id, text='somebody else')
    ticket_id = (await running_desk.support.chat(viewer_id=other.id)).open_ticket_id
    for path in (f'/tickets/{ticket_id}', f'/tickets/{ticket_id + 1000}'):
        await user.open(path)
        await user.should_see(marker='sign-in-needed')
        await user.should_not_see('This ticket does not exist.')


async def test_staff_still_learn_that_a_ticket_does_not_exist(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='agent')
    await user.open('/tickets/987654')
    await user.should_see('This ticket does not exist.')


@pytest.mark.parametrize('path', ['/no-such-page', '/requests/1/more', '/admin/nothing'])
async def test_an_unknown_address_shows_only_a_not_found_page_with_a_link_home(user: User, running_desk: Desk,
                                                                             path: str) -> None:
    await signed_in(user, running_desk)
    await user.open('/requests')
    await user.should_see('New request')
    user.navigate.to(path)  # within the tab; a fresh load of the address answers 404 (tests/e2e checks that one)
    await should_see_not_found(user)
    await user.should_not_see('New request')  # the board (or another page) is not drawn under it
    if PATCHES_ON:
        assert user.find(marker='home-link').elements.pop().props['href'] == '/'
