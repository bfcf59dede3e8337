"""The sign-in page while someone keeps guessing the same account's password from many other addresses."""

from __future__ import annotations

import httpx
from nicegui import core, ui
from nicegui.testing import User

from domain.accounts.throttle import LoginThrottle
from domain.desk import Desk
from tests.factories import Clock, make_user
from tests.ui.steps import sign_in

ATTACKERS = [f'203.0.113.{number}' for number in range(1, 27)]  # addresses A..Z; the page's browser is 127.0.0.1


async def guess_every_few_seconds(desk: Desk, username: str, *, rounds: int) -> None:
    """A wrong password for `username` from each attacker address, `rounds` times, 5 s apart (throttle's clock)."""
    clock = Clock()
    desk.accounts.throttle = LoginThrottle(clock)
    for _ in range(rounds):
        for address in ATTACKERS:
            transport = httpx.ASGITransport(core.app, client=(address, 40000))
            async with httpx.AsyncClient(transport=transport, base_url='http://test') as guesser:
                await guesser.post('/api/v1/auth/token', json={'username': username, 'password': 'a guess 123'})
        clock.now += 5


async def test_the_owner_signs_in_on_the_page_while_others_keep_guessing_his_password(
        user: User, running_desk: Desk) -> None:
    owner = await make_user(running_desk, role='admin')
    await guess_every_few_seconds(running_desk, owner.username, rounds=8)
    await sign_in(user, owner.username, path='/login')
    await user.should_see(marker='signed-in-as', content=owner.display_name)
    await user.should_not_see(kind=ui.label, content='Too many failed attempts')
    await user.should_see('Search titles')  # the board, read in full before the test ends
