"""Admin → Users in the simulated browser: create an agent, and a deactivated user's open page signs out."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from tests.factories import PASSWORD, unique
from tests.ui.steps import signed_in


async def test_an_admin_creates_an_agent(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='admin')
    await user.open('/admin/users')
    await user.should_see('New user')
    user.find(kind=ui.button, content='New user').click()
    name = unique()
    user.find(marker='new-username').type(name)
    user.find(marker='new-password').type(PASSWORD)
    user.find(kind=ui.button, content='Create').click()
    await user.should_see(f'User {name} created.')
    await user.should_see(marker=f'user-{name}')
    agent, _token = await running_desk.accounts.sign_in(username=name, password=PASSWORD)
    assert agent.role == 'agent'


async def test_a_deactivated_users_open_page_is_signed_out(create_user, running_desk: Desk) -> None:
    admin_tab, customer_tab = create_user(), create_user()
    admin = await signed_in(admin_tab, running_desk, role='admin')
    customer = await signed_in(customer_tab, running_desk)
    await customer_tab.open('/support')
    await customer_tab.should_see(marker='signed-in-as')
    await running_desk.users.set_active(actor_id=admin.id, user_id=customer.id, active=False)
    await customer_tab.should_see('Your session has ended. Sign in again to continue.')
    await customer_tab.should_not_see(marker='signed-in-as')


async def test_customers_and_agents_do_not_see_the_users_page(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='agent')
    await user.open('/admin/users')
    await user.should_see('You do not have access to this page.')
