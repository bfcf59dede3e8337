"""What a person does often in the UI tests: sign in, send a message."""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Awaitable, Callable

from nicegui import Client, background_tasks, ui
from nicegui.testing import User

from domain.desk import Desk
from storage.rows import UserRow
from tests.conftest import PATCHES_ON
from tests.factories import PASSWORD, make_user
from ui.components.desk_row import DeskRowView
from ui.components.message_block import Bubble, MessageBlock
from ui.components.nav_links import NavLinks
from ui.components.status_control import StatusControl

ZONE_QUESTION = re.compile(r'.*Intl\.DateTimeFormat\(\)\.resolvedOptions\(\)\.timeZone')


def answer_time_zone(user: User, zone: str) -> User:
    """Make the simulated browser report `zone` when the page asks for its time zone."""
    user.javascript_rules[ZONE_QUESTION] = lambda _match: zone
    return user


async def should_see_not_found(user: User) -> None:
    """The app's "not found" notice; with PATCHES=off, NiceGUI's own (patches/sub_pages.py is how the app's shows)."""
    if PATCHES_ON:
        await user.should_see(marker='not-found')
        await user.should_see('This page does not exist.')
    else:
        await user.should_see('404: sub page')


async def signed_in(user: User, desk: Desk, *, role: str = 'customer') -> UserRow:
    """A new account, signed in through the sign-in page."""
    account = await make_user(desk, role=role)
    await sign_in(user, account.username, path='/login')
    await user.should_see(marker='signed-in-as')
    await landed()
    return account


async def landed() -> None:
    """Every navigation the simulated browser began has ended. NiceGUI's User runs each in a background task on
    whatever page is current when the task runs: the sign-in's own, still running as the header said "signed in",
    once landed on the page the test opened next and left it empty (tests/ui/test_desk.py, in CI)."""
    await eventually(lambda: not any(task.get_name().startswith('navigate') for task in background_tasks.running_tasks),
                     within=10)


def leave_other_pages(user: User) -> None:
    """Close every page this simulated tab showed before the current one, as a browser does on leaving a page:
    NiceGUI's `User.open` keeps the old page alive, and listening, until its reconnect timeout."""
    for page in list(Client.instances.values()):
        if page.tab_id == user.tab_id and page is not user.client and not page.is_deleted:
            page.delete()


async def sign_in(user: User, username: str, *, path: str) -> None:
    """Open a sign-in page (`path` may carry redirect_to) and sign in; the caller checks where it lands."""
    await user.open(path)
    user.find('Username').type(username)
    user.find('Password').type(PASSWORD)
    user.find(kind=ui.button, content='Sign in').click()


async def open_request(user: User, request_id: int, *, expect: str = 'Send') -> None:
    """Open a request page and wait until its response pane is built."""
    await user.open(f'/requests/{request_id}')
    await user.should_see(expect)


async def open_row(agent_tab: User, title: str) -> None:
    """Follow a desk row's title link (plain HTML in the row, which the simulated browser cannot click) as the
    browser does: through the sub pages, without loading the page again."""
    await agent_tab.should_see(kind=DeskRowView, content=title)
    [row] = agent_tab.find(kind=DeskRowView, content=title).elements
    assert f'href="/inbox/{row.row.id}"' in row.content
    agent_tab.navigate.to(f'/inbox/{row.row.id}')
    await agent_tab.should_see(kind=ui.label, content=title, marker='desk-title')


async def choose_status(user: User, name: str) -> None:
    """Open the status control's choice and pick `name`, inside the control: a bare `find(name)` also matches other
    elements showing that word (the desk's "In progress · 0" filter chip), and `click` takes the lowest element id."""
    await user.should_see(marker='change-status')
    with user.scope(kind=StatusControl):
        user.find(marker='change-status').click()
        user.find(name).click()


def send(user: User, text: str, *, button: str = 'Send') -> None:
    """Type `text` in the page's Message box and press `button` (the desk's are "Reply" and "Add internal note")."""
    user.find(kind=ui.textarea, content='Message').type(text)
    user.find(kind=ui.button, content=button).click()


def follow(user: User, text: str) -> None:
    """Click the drawer's link showing `text`: plain links, which NiceGUI's sub pages follow as they do ui.link."""
    user.navigate.to(user.find(kind=NavLinks).elements.pop().href(text))


def account_menu(user: User, *, visitor: bool = False) -> None:
    """Press the header's user menu button (a visitor's: the settings button), which builds the menu's items."""
    user.find(marker='account-menu' if visitor else 'signed-in-as').click()


def bubbles(user: User) -> list[Bubble]:
    """The chat bubbles on the tab, in the order on the page."""
    messages = user.find(marker='messages').elements.pop()
    return [shown for block in messages.descendants() if isinstance(block, MessageBlock)
            for shown in block.bubbles.values()]


async def eventually(check: Callable[[], Awaitable[bool] | bool], *, within: float = 3.0) -> None:
    """Wait until `check` holds, for effects of handlers the simulation runs in the background."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError('condition not met in time')
        await asyncio.sleep(0.02)
