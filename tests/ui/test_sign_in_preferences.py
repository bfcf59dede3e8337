"""Signing in within a tab brings the account's own theme and language, as a fresh page of theirs would."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from tests.factories import make_user
from tests.ui.steps import eventually, sign_in


def dark_mode(user: User) -> ui.dark_mode:
    with user:
        [dark] = [element for element in user.current_layout.descendants() if isinstance(element, ui.dark_mode)]
    return dark


async def test_signing_in_applies_the_accounts_saved_theme_without_a_reload(user: User, running_desk: Desk) -> None:
    account = await make_user(running_desk)
    await running_desk.accounts.set_preferences(account.id, theme='dark')
    await sign_in(user, account.username, path='/login')
    await user.should_see(marker='signed-in-as')
    await eventually(lambda: dark_mode(user).value is True)


async def test_signing_in_shows_the_page_in_the_accounts_language(user: User, running_desk: Desk) -> None:
    account = await make_user(running_desk)
    await running_desk.accounts.set_preferences(account.id, locale='ru')
    await sign_in(user, account.username, path='/login')
    await user.should_see('Новая заявка')
    await user.should_see(marker='navigation', content='Заявки')  # the drawer, drawn again for the account
