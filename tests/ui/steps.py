"""What a person does often in the UI tests: sign in, send a message."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from storage.rows import UserRow
from tests.factories import PASSWORD, make_user


async def signed_in(user: User, desk: Desk, *, role: str = 'customer') -> UserRow:
    """A new account, signed in through the sign-in page."""
    account = await make_user(desk, role=role)
    await user.open('/login')
    user.find('Username').type(account.username)
    user.find('Password').type(PASSWORD)
    user.find(kind=ui.button, content='Sign in').click()
    await user.should_see(marker='signed-in-as')
    return account


def send(user: User, text: str) -> None:
    user.find(kind=ui.textarea, content='Message').type(text)
    user.find(kind=ui.button, content='Send').click()
