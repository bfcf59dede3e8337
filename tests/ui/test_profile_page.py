"""The profile page and the sign-in page when no outside sign-in service is configured."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from tests.ui.steps import account_menu, signed_in


async def test_without_providers_the_sign_in_page_offers_only_the_password(user: User) -> None:
    await user.open('/login')
    await user.should_see(kind=ui.button, content='Sign in')
    await user.should_not_see(kind=ui.button, content='Sign in with')
    await user.should_not_see(kind=ui.label, content='Or sign in with another account')


async def test_a_visitor_is_asked_to_sign_in_for_the_profile(user: User) -> None:
    await user.open('/profile')
    await user.should_see(kind=ui.label, content='Sign in to see your profile.')
    await user.should_see(kind=ui.link, content='Sign in')


async def test_the_user_menu_under_the_name_leads_to_the_profile(user: User, running_desk: Desk) -> None:
    account = await signed_in(user, running_desk)
    account_menu(user)
    user.find(marker='profile').click()
    await user.should_see(kind=ui.label, content='Profile')
    await user.should_see(kind=ui.label, content=account.username)
    await user.should_see(kind=ui.label, content='Customer')
    await user.should_see(kind=ui.label, content='This desk has no outside sign-in services set up.')
    await user.should_see(marker='email-notifications')  # the last part, read after the rest: the page is done


async def test_the_profile_speaks_russian(user: User, running_desk: Desk) -> None:
    account = await signed_in(user, running_desk)
    await running_desk.accounts.set_preferences(account.id, locale='ru')
    await user.open('/profile')
    await user.should_see(kind=ui.label, content='Профиль')
    await user.should_see(kind=ui.label, content='Аккаунты для входа')
    await user.should_see(kind=ui.label, content='Часовой пояс')
    await user.should_see(marker='email-notifications')  # the last part, read after the rest: the page is done
