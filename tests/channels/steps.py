"""What a browser does in the sign-in tests: press a provider's button and follow the redirects, read a notice."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from tests.factories import make_user
from tests.ui.steps import sign_in

APP = 'http://test'
Browser = Callable[[], httpx.AsyncClient]


async def travel(client: httpx.AsyncClient, path: str, *, method: str = 'POST') -> str:
    """Press a sign-in button (POST `path`) and follow the redirects; returns the app page the browser lands on."""
    response = await client.request(method, path)
    for _ in range(10):
        assert response.status_code in (302, 303, 307), (response.status_code, response.text)
        location = str(response.next_request.url) if response.next_request else ''
        parts = urlsplit(location)
        if location.startswith(APP) and not parts.path.startswith('/auth/'):
            return parts.path + (f'?{parts.query}' if parts.query else '')
        response = await client.get(location)
    raise AssertionError('too many redirects')


async def signed_in_with_password(client: httpx.AsyncClient, desk: Desk) -> tuple[User, int]:
    """A password account signed in on the sign-in page in this browser."""
    account = await make_user(desk)
    person = User(client)
    await sign_in(person, account.username, path='/login')
    await person.should_see(marker='signed-in-as')  # not the name: the input still holds that
    return person, account.id


async def notice_on(client: httpx.AsyncClient, landed: str, text: str) -> User:
    person = User(client)
    await person.open(landed)
    await person.should_see(kind=ui.label, content=text)
    return person
