"""Sign-in and registration pages, the session across reloads, and sign-out."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from tests.factories import PASSWORD, make_user, unique
from tests.ui.steps import account_menu, sign_in, signed_in


async def test_registering_signs_the_new_user_in(user: User) -> None:
    name = unique()
    await user.open('/register')
    user.find(marker='username').type(name)
    user.find(marker='password').type(PASSWORD)
    user.find(marker='repeat').type(PASSWORD)
    user.find(kind=ui.button, content='Create account').click()
    await user.should_see(name, marker='signed-in-as')


async def test_a_taken_username_is_shown_on_the_field(user: User, running_desk: Desk) -> None:
    taken = await make_user(running_desk)
    await user.open('/register')
    user.find(marker='username').type(taken.username)
    user.find(marker='password').type(PASSWORD)
    user.find(marker='repeat').type(PASSWORD)
    user.find(kind=ui.button, content='Create account').click()
    await user.should_see('This username is taken.')
    username = user.find(marker='username').elements.pop()
    assert username.error == 'This username is taken.'  # on the field
    assert username.value == taken.username  # nothing typed is lost


async def test_a_wrong_password_gets_one_message_that_does_not_say_which(user: User, running_desk: Desk) -> None:
    account = await make_user(running_desk)
    await user.open('/login')
    user.find('Username').type(account.username)
    user.find('Password').type('not the password')
    user.find(kind=ui.button, content='Sign in').click()
    await user.should_see('Wrong username or password.')
    user.find('Username').clear().type(unique())
    user.find(kind=ui.button, content='Sign in').click()
    await user.should_see('Wrong username or password.')


async def test_the_session_survives_a_reload_and_sign_out_ends_it(user: User, running_desk: Desk) -> None:
    account = await signed_in(user, running_desk)
    await user.open('/requests')
    await user.should_see(account.display_name, marker='signed-in-as')
    account_menu(user)
    user.find(marker='sign-out').click()
    await user.should_see('You are signed out.')
    await user.open('/requests')
    await user.should_not_see(marker='signed-in-as')
    await user.should_see('Sign in to create a request')


async def test_sign_in_returns_to_the_page_asked_for(user: User, running_desk: Desk) -> None:
    account = await make_user(running_desk)
    await sign_in(user, account.username, path='/login?redirect_to=/responses')
    await user.should_see('Requests I responded to')


async def test_a_redirect_to_another_site_is_ignored(user: User, running_desk: Desk) -> None:
    account = await make_user(running_desk)
    await sign_in(user, account.username, path='/login?redirect_to=//evil.example')
    await user.should_see('Search titles')


def navigations(user: User, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Where the page sends the browser, in order (the simulated browser follows as before)."""
    targets: list[str] = []
    follow = user.navigate.to

    def to(target: str, new_tab: bool = False) -> None:
        targets.append(target)
        follow(target, new_tab)

    monkeypatch.setattr(user.navigate, 'to', to)
    return targets


# Browsers drop tabs and newlines from a URL, so "/<tab>/evil.example/" takes them to //evil.example/.
@pytest.mark.parametrize('smuggled', ['%2F%09%2Fevil.example%2F', '%2F%0A%2Fevil.example%2F', '%09%2F%2Fevil.example'])
async def test_a_redirect_smuggling_a_tab_or_newline_after_sign_in_lands_on_the_board(
        user: User, running_desk: Desk, monkeypatch: pytest.MonkeyPatch, smuggled: str) -> None:
    account = await make_user(running_desk)
    targets = navigations(user, monkeypatch)
    await sign_in(user, account.username, path=f'/login?redirect_to={smuggled}')
    await user.should_see('Search titles')  # the board, read in full before the test ends
    assert targets == ['/requests']


async def test_a_redirect_smuggling_a_tab_after_registering_lands_on_the_board(
        user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    targets = navigations(user, monkeypatch)
    await user.open('/register?redirect_to=%2F%09%2Fevil.example%2F')
    user.find(marker='username').type(unique())
    user.find(marker='password').type(PASSWORD)
    user.find(marker='repeat').type(PASSWORD)
    user.find(kind=ui.button, content='Create account').click()
    await user.should_see('Search titles')
    assert targets == ['/requests']

