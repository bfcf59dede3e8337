"""The drawer: the pages each role may open, the inbox's live count, the current page marked, closing on a phone;
the header's user menu for visitors."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from tests.ui.steps import account_menu, eventually, follow, open_row, send, signed_in
from ui.components.nav_links import NavLinks

EVERYONE = ['Requests', 'My responses']
STAFF = ['Inbox', 'Queues', 'Rules']
ADMIN = ['Users', 'Jobs', 'Audit log', 'Webhooks', 'Widgets']


def drawer_links(user: User) -> NavLinks:
    return user.find(kind=NavLinks).elements.pop()


def labels(user: User) -> list[str]:
    return [entry.label for entry in drawer_links(user).entries]


def inbox_count(user: User) -> int:
    return drawer_links(user).count('/inbox')


async def test_a_visitor_is_offered_the_board_and_the_support_chat(user: User) -> None:
    await user.open('/requests')
    await user.should_see(kind=NavLinks, content='Requests')
    assert labels(user) == [*EVERYONE, 'Support']


@pytest.mark.parametrize(('role', 'expected'), [
    ('customer', [*EVERYONE, 'Orders', 'Support']),
    ('agent', [*EVERYONE, 'Orders', *STAFF]),
    ('admin', [*EVERYONE, 'Orders', *STAFF, *ADMIN]),
])
async def test_each_role_is_offered_the_pages_it_may_open(user: User, running_desk: Desk, role: str,
                                                          expected: list[str]) -> None:
    await signed_in(user, running_desk, role=role)
    await user.open('/requests')
    await user.should_see(kind=NavLinks, content='Requests')
    assert labels(user) == expected
    for label in expected:  # each leads where it says
        assert drawer_links(user).href(label).startswith('/')


async def test_signing_out_takes_the_staff_pages_out_of_the_drawer_without_a_reload(user: User,
                                                                                    running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='admin')
    await user.should_see(kind=NavLinks, content='Audit log')
    account_menu(user)
    user.find(marker='sign-out').click()
    await user.should_see('You are signed out.')
    await user.should_not_see(kind=NavLinks, content='Audit log')
    assert labels(user) == [*EVERYONE, 'Support']


async def test_the_inbox_count_follows_customer_messages_live(create_user, running_desk: Desk) -> None:
    agent_tab, customer_tab = create_user(), create_user()
    await signed_in(agent_tab, running_desk, role='agent')
    await signed_in(customer_tab, running_desk)
    await agent_tab.open('/requests')  # not the inbox: the drawer counts on every page
    await agent_tab.should_see('New request')
    assert inbox_count(agent_tab) == 0
    await agent_tab.should_not_see(kind=NavLinks, content='1')

    await customer_tab.open('/support')
    await customer_tab.should_see(kind=ui.textarea, content='Message')
    send(customer_tab, 'The printer is on fire')
    await agent_tab.should_see(kind=NavLinks, content='1')  # live, without reloading
    assert inbox_count(agent_tab) == 1

    other = await signed_in(create_user(), running_desk)
    await running_desk.support.write(actor_id=other.id, text='And the scanner too')
    await eventually(lambda: inbox_count(agent_tab) == 2)

    follow(agent_tab, 'Inbox')  # reading a ticket takes it off the count
    await open_row(agent_tab, 'The printer is on fire')
    await eventually(lambda: inbox_count(agent_tab) == 1)


async def test_a_live_count_keeps_the_drawer_in_the_agents_language(create_user, running_desk: Desk) -> None:
    agent_tab = create_user()
    agent = await signed_in(agent_tab, running_desk, role='agent')
    await running_desk.accounts.set_preferences(agent.id, locale='ru')
    await agent_tab.open('/requests')
    await agent_tab.should_see(marker='navigation', content='Входящие')
    customer = await signed_in(create_user(), running_desk)
    await running_desk.support.write(actor_id=customer.id, text='The printer is on fire')
    await eventually(lambda: inbox_count(agent_tab) == 1)  # counted in a paced round, outside the page's context
    assert 'Входящие' in drawer_links(agent_tab).content


async def test_a_customer_has_no_inbox_count(user: User, running_desk: Desk) -> None:
    customer = await signed_in(user, running_desk)
    await running_desk.support.write(actor_id=customer.id, text='Hello?')
    await user.open('/requests')
    await user.should_see('New request')
    assert 'Inbox' not in labels(user)
    await user.should_not_see(kind=NavLinks, content='1')


async def test_the_current_page_is_marked_as_the_user_moves(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='agent')
    await user.open('/requests')
    await user.should_see('New request')
    assert drawer_links(user).chosen().label == 'Requests'
    assert 'aria-current="page"' in drawer_links(user).content
    follow(user, 'Inbox')
    await user.should_see('Choose a ticket from the list.')
    assert drawer_links(user).chosen().label == 'Inbox'
    user.navigate.to('/inbox/999999')  # a ticket is still the inbox
    await user.should_see('This ticket does not exist.')
    assert drawer_links(user).chosen().label == 'Inbox'


async def test_opened_by_the_menu_button_the_drawer_closes_once_a_page_is_chosen(user: User,
                                                                                 running_desk: Desk) -> None:
    await signed_in(user, running_desk)
    await user.open('/requests')
    await user.should_see('New request')
    drawer = user.find(kind=ui.left_drawer).elements.pop()
    drawer.value = False  # as on a phone, where the browser reports it closed
    user.find(marker='menu-button').click()
    assert drawer.value is True
    follow(user, 'Orders')
    await user.should_see('New order')
    assert drawer.value is False


async def test_on_a_wide_screen_choosing_a_page_leaves_the_drawer_open(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk)
    await user.open('/requests')
    await user.should_see('New request')
    drawer = user.find(kind=ui.left_drawer).elements.pop()
    drawer.value = True  # beside the page, as from 1024 px
    follow(user, 'Orders')
    await user.should_see('New order')
    assert drawer.value is True


async def test_a_visitor_chooses_the_language_in_the_settings_menu(user: User) -> None:
    await user.open('/requests')
    await user.should_see('Sign in to create a request')
    account_menu(user, visitor=True)
    user.find(marker='language-ru').click()
    await user.should_see('Войдите, чтобы создать заявку')
    await user.should_see(kind=NavLinks, content='Заявки')


async def test_a_visitor_switches_to_dark_and_the_menu_then_offers_light(user: User) -> None:
    await user.open('/requests')
    await user.should_see('Sign in to create a request')
    account_menu(user, visitor=True)
    await user.should_see(marker='theme-toggle', kind=ui.menu_item)
    await user.should_see('Dark mode')
    user.find(marker='theme-toggle').click()
    await eventually(lambda: user.find(kind=ui.dark_mode).elements.pop().value is True)
    account_menu(user, visitor=True)
    await user.should_see('Light mode')
    await user.open('/requests')  # remembered for the browser
    await user.should_see('Sign in to create a request')
    assert user.find(kind=ui.dark_mode).elements.pop().value is True


async def test_the_user_menu_names_the_user_and_offers_both_languages(user: User, running_desk: Desk) -> None:
    account = await signed_in(user, running_desk)
    account_menu(user)
    await user.should_see(kind=ui.item_label, content=account.display_name)
    await user.should_see('English')
    await user.should_see('Русский')
    await user.should_see(marker='sign-out')

