"""Live subscriptions of one browser tab: start once connected, re-read on reconnect, drop when gone."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from nicegui import Client, background_tasks, ui

from domain.hub import EventHub

Handler = Callable[[Any], Awaitable[None] | None]


@dataclass(eq=False)
class _Watch:
    kind: type
    key: int | None
    container: ui.element
    on_event: Handler
    on_resync: Callable[[], Awaitable[None]] | None
    only: Callable[[Any], bool] | None = None
    in_page: bool = True
    unsubscribe: Callable[[], None] | None = None

    def start(self, hub: EventHub) -> None:
        if self.unsubscribe is None:
            self.unsubscribe = hub.subscribe(self.kind, self.deliver, key=self.key)

    def stop(self) -> None:
        if self.unsubscribe is not None:
            self.unsubscribe()
            self.unsubscribe = None

    def deliver(self, event: Any) -> Awaitable[None] | None:
        """Called by the hub for each event; only an async handler costs a task (the hub runs what we return).

        With a thousand tabs on one list a task per tab per event showed in the profile (about 5 % of the server's
        time in bench/live_load.py scenario 3, though delivery latency barely moved); handlers that only note a
        refresh (ui.pacer) or filter with `only` run here and now.
        """
        if self.container.is_deleted:  # its sub page was left while the tab lives on
            self.stop()
            return None
        if self.only is not None and not self.only(event):
            return None
        if not self.in_page:  # it only notes work for later: no page context to enter and leave
            self.on_event(event)
            return None
        try:
            with self.container:  # the hub calls us outside the page's context
                result = self.on_event(event)  # an async handler's body runs in _finish, not yet
        except Exception:
            if not self.container.is_deleted:
                raise
            self.stop()
            return None
        return self._finish(result) if inspect.isawaitable(result) else None

    async def _finish(self, pending: Awaitable[None]) -> None:
        try:
            with self.container:
                await pending
        except Exception:
            if not self.container.is_deleted:
                raise
            self.stop()  # the page was left or reloaded while the handler read the database

    async def resync(self) -> None:
        if self.on_resync is not None and not self.container.is_deleted:
            try:
                with self.container:
                    await self.on_resync()
            except Exception:
                if not self.container.is_deleted:
                    raise


def _nothing() -> None:
    pass


@dataclass(eq=False)
class LiveTab:
    """One per client; pages register what they show through `watch`."""

    hub: EventHub
    client: Client
    _watches: list[_Watch] = field(default_factory=list)
    _read_at: int = 0  # the hub's event count before the page read what it shows
    _page_at: int = 0  # the count when the page now shown began to be built (and so to read)

    def __post_init__(self) -> None:
        self._read_at = self._page_at = self.hub.published
        # Subscribing only once connected: a page fetched without a socket (prefetch, curl) subscribes nothing.
        self.client.on_connect(self._connected)
        self.client.on_delete(self.close)
        self._stop_resync = self.hub.on_resync(self._resync_all)

    def _resync_all(self) -> None:
        """Events may have been missed (the bridge to other instances reconnected): re-read what is shown."""
        for watch in self._watches:
            if watch.unsubscribe is not None:
                background_tasks.create(watch.resync(), name='live resync')

    def watch(self, kind: type, handler: Handler, *, key: int | None = None, container: ui.element,
              resync: Callable[[], Awaitable[None]] | None = None,
              only: Callable[[Any], bool] | None = None, in_page: bool = True) -> Callable[[], None]:
        """Call `handler` inside `container` for each `kind` event with `key` (and for which `only` holds, when
        given), while the container exists, or until the returned function is called. `in_page=False`: the
        handler only notes work for later (ui.pacer) and touches no element, so it is called without entering the
        container: a list open in every tab hears of every change, and the context cost each tab more than the
        note (bench/live_load.py scenario 2)."""
        self._prune()
        watch = _Watch(kind, key, container, handler, resync, only, in_page)
        self._watches.append(watch)
        if self.client.has_socket_connection:
            self._start(watch)

        def stop() -> None:
            watch.stop()
            if watch in self._watches:
                self._watches.remove(watch)
        return stop

    def _connected(self) -> None:
        # Whatever happened between reading the page and subscribing (or while disconnected) is read again. A
        # page's watches share their resyncs (the inbox re-reads on RequestCreated's resync but shows changes too),
        # so any change to what the tab watches re-reads it all; when nothing changed, the first read still holds.
        changed = any(self.hub.changed_since(self._read_at, watch.kind, watch.key) for watch in self._watches)
        self._read_at = self.hub.published
        for watch in self._watches:
            watch.start(self.hub)
        if changed:
            for watch in self._watches:
                background_tasks.create(watch.resync(), name='live resync')

    def page_begins(self) -> None:
        """A page of this tab is about to be built: what it reads is at least as new as the hub's count now."""
        self._page_at = self.hub.published

    def _start(self, watch: _Watch) -> None:
        """A watch added once connected (NiceGUI builds a sub page in a task, usually after the socket is up)
        re-reads only if what it watches changed since its page began to read: re-reading every time read each
        support chat twice as a thousand tabs opened (bench/live_load.py scenario 2)."""
        watch.start(self.hub)
        if self.hub.changed_since(self._page_at, watch.kind, watch.key):
            background_tasks.create(watch.resync(), name='live resync')

    def _prune(self) -> None:
        for watch in [w for w in self._watches if w.container.is_deleted]:
            watch.stop()
            self._watches.remove(watch)

    def close(self) -> None:
        self._stop_resync()
        self._stop_resync = _nothing  # it held our bound method: a cycle the frozen collector would keep
        for watch in self._watches:
            watch.stop()
        self._watches.clear()

    @property
    def active(self) -> int:
        return sum(1 for watch in self._watches if watch.unsubscribe is not None)
