"""A closed tab's page is freed by reference counting: nothing of it waits for the garbage collector.

ui.gc_policy keeps full collections rare, so elements caught in reference cycles would linger (ui.teardown).
"""

from __future__ import annotations

import asyncio
import gc

from nicegui import Client
from nicegui.element import Element
from nicegui.testing import User

from domain.desk import Desk
from storage.unit_of_work import UnitOfWork
from tests.ui.steps import signed_in
from ui.live import LiveTab
from ui.tab import Tab

# A page's elements, its client and the objects bound to it, and every database round trip the page made.
LEFT_BEHIND = (Element, Client, LiveTab, Tab, UnitOfWork)


async def test_closed_support_chat_and_board_leave_nothing_for_the_collector(create_user,
                                                                            running_desk: Desk) -> None:
    tab = create_user()
    customer = await signed_in(tab, running_desk)
    for number in range(3):
        await running_desk.support.write(actor_id=customer.id, text=f'question {number}')
    for path, shown in (('/support', 'question 2'), ('/requests', 'New request')):
        await tab.open(path)
        await tab.should_see(shown)
        assert await _elements_left_for_the_collector(tab) == []


async def _elements_left_for_the_collector(tab: User) -> list[str]:
    client = tab.client
    assert client is not None
    gc.collect()
    gc.disable()
    try:
        client.delete()
        del client
        tab.client = None
        await asyncio.sleep(1.2)  # running timers notice the deletion at their next tick and let go
        gc.set_debug(gc.DEBUG_SAVEALL)  # what only the collector could free is kept in gc.garbage to look at
        gc.collect()
        return [type(thing).__name__ for thing in gc.garbage if isinstance(thing, LEFT_BEHIND)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
