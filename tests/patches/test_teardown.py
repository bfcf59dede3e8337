"""A closed tab's page is freed by reference counting: nothing of it waits for the garbage collector.

patches.gc_policy keeps full collections rare, so elements caught in reference cycles would linger (patches.teardown).
"""

from __future__ import annotations

import asyncio
import gc
import weakref

from nicegui import Client, ui
from nicegui.element import Element
from nicegui.testing import User

from domain.desk import Desk
from patches.sub_pages import SubPages
from storage.unit_of_work import UnitOfWork
from tests.ui.steps import signed_in


async def test_closed_support_chat_and_board_leave_nothing_for_the_collector(create_user,
                                                                            running_desk: Desk) -> None:
    tab = create_user()
    customer = await signed_in(tab, running_desk)
    for number in range(3):
        await running_desk.support.write(actor_id=customer.id, text=f'question {number}')
    for path, shown in (('/support', 'question 2'), ('/requests', 'New request'), ('/login', 'Sign in')):
        await tab.open(path)
        await tab.should_see(shown)
        assert await _elements_left_for_the_collector(tab) == []


async def _elements_left_for_the_collector(tab: User) -> list[str]:
    """What of the page outlives its client's deletion with the collector off (only what reference counting cannot
    free, or what something alive still holds), and which elements and units of work only the collector frees."""
    client = tab.client
    assert client is not None
    gc.collect()
    gc.disable()
    try:
        # FastAPI remembers its last 4,096 endpoint functions (a bounded cache); an uploader's route closes over it.
        kept = [element for element in client.elements.values() if not isinstance(element, ui.upload)]
        page = [weakref.ref(thing) for thing in (client, *kept, *_page_objects(client))]
        del kept
        client.delete()
        del client
        tab.client = None
        await asyncio.sleep(1.2)  # running timers notice the deletion at their next tick and let go
        left = [type(thing).__name__ for ref in page if (thing := ref()) is not None]
        gc.set_debug(gc.DEBUG_SAVEALL)  # what only the collector could free is kept in gc.garbage to look at
        gc.collect()
        return left + [type(thing).__name__ for thing in gc.garbage if isinstance(thing, (Element, UnitOfWork))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def _page_objects(client: Client) -> list[object]:
    """The tab's own objects, found through the page's sub pages (ui.app gives the Tab to them as data)."""
    tabs = [element._data['tab'] for element in client.elements.values() if isinstance(element, SubPages)]
    assert tabs, 'the page has no sub pages holding its tab'
    return [thing for found in tabs for thing in (found, found.live)]
