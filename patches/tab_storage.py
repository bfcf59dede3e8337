"""A closed tab's empty tab storage is let go: without Redis, NiceGUI kept one for every tab ever opened.

`Storage.close_tab` runs once a tab's client is gone for good (its last socket away past the reconnect timeout, no
other client showing that tab). With Redis it drops the tab's storage from memory (Redis keeps it); without, each
tab's `ObservableDict` stays in `Storage._tabs` for the life of the process, so a tab that comes back later finds
what it stored. About 670 bytes each: bench/soak.py opens some 9,600 tabs in 30 minutes, and the server's heap
after each sweep crept up by as much. This app stores nothing per tab (`app.storage.tab` is not used), so an empty
one is all there is to drop: a tab that comes back gets a new, equally empty one, and one holding something is left
as NiceGUI keeps it.
"""

from __future__ import annotations

from nicegui.observables import ObservableDict
from nicegui.storage import Storage

from .guard import Versions, broken, guarding

VERIFIED = {'nicegui': Versions('>=3.18.0,<3.19')}
_original = Storage.close_tab


async def close_tab(self: Storage, tab_id: str | None) -> None:
    """NiceGUI's close, and an in-memory tab storage holding nothing dropped."""
    tab = self._tabs.get(tab_id) if tab_id else None
    if type(tab) is ObservableDict and not tab:  # not a Redis-backed one, and nothing in it
        del self._tabs[tab_id]  # type: ignore[arg-type]
        return
    await _original(self, tab_id)


def install() -> None:
    Storage.close_tab = close_tab  # type: ignore[method-assign]


def uninstall() -> None:
    Storage.close_tab = _original  # type: ignore[method-assign]


def installed() -> bool:
    return Storage.close_tab is close_tab


async def check() -> None:
    """Without Redis a tab's storage is an `ObservableDict` in `Storage._tabs`, kept by NiceGUI's close; with the
    patch an empty one goes and one holding something stays."""
    with guarding('nicegui', VERIFIED, "tab storage kept in memory after its tab closed"):
        if Storage.redis_url:
            return  # NiceGUI itself drops it from memory then
        kept, dropped, holding = await closed_tabs()
        if not kept:
            raise broken('nicegui', VERIFIED, "a closed tab's storage no longer stays in `Storage._tabs` without "
                         'Redis: the patch may go')
        if not dropped or not holding:
            raise broken('nicegui', VERIFIED, "an empty closed tab's storage was not dropped, or a full one was")


async def closed_tabs() -> tuple[bool, bool, bool]:
    """(NiceGUI's own close keeps an empty tab storage, the patched one drops it, the patched one keeps one holding
    something), tried on a Storage of its own."""
    storage = Storage()
    for tab_id in ('guard-own', 'guard-empty', 'guard-holding'):
        await storage._create_tab_storage(tab_id)
    storage._tabs['guard-holding']['draft'] = 'kept'
    await _original(storage, 'guard-own')
    await close_tab(storage, 'guard-empty')
    await close_tab(storage, 'guard-holding')
    return 'guard-own' in storage._tabs, 'guard-empty' not in storage._tabs, 'guard-holding' in storage._tabs
