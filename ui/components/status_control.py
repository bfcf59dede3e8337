"""A request's status as a chip, with the statuses it may move to next; kept true after a refusal or a change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from nicegui import ui

from domain.errors import DomainError
from domain.events import RequestChanged
from domain.requests.views import StatusRow

from ..i18n import error_text, t
from ..tab import Tab
from ..weakly import weakly
from .status_chip import status_chip


class StatusView(Protocol):
    """What a request's, an order's or a ticket's view says of its status."""

    @property
    def status(self) -> StatusRow: ...

    @property
    def next_statuses(self) -> Sequence[StatusRow]: ...


class StatusControl(ui.row):
    """Shown for requests, orders and tickets alike; the choice is hidden when the viewer may not move it.

    `read` reads the owner's view again and `shown` shows all of it (the status through `show`): after a refusal,
    and with `live`, after every change of the request, since a change moves more than the status (times, people).
    """

    def __init__(self, tab: Tab, request_id: int, view: StatusView, *, label: str,
                 read: Callable[[], Awaitable[Any]], shown: Callable[[Any], None], live: bool = False) -> None:
        super().__init__()
        self.classes('items-center gap-2')
        self.tab = tab
        self.request_id = request_id
        self.status_id = view.status.id
        self._read, self._shown = read, weakly(shown)  # `read` must not hold the owner: it holds this control
        with self:
            self.chip = status_chip(view.status.name, view.status.kind).mark('status')
            self.change = ui.select({}, label=label).classes('w-48').mark('change-status')
        self.show(view)
        self.change.on_value_change(self.chosen)  # not `move`: every element has one, for moving it
        if live:
            tab.live.watch(RequestChanged, self.reread, key=request_id, container=self, resync=self.reread)

    def show(self, view: StatusView) -> None:
        self.status_id = view.status.id
        self.chip.show(view.status.name, view.status.kind)
        options = {view.status.id: t(view.status.name), **{s.id: t(s.name) for s in view.next_statuses}}
        if options != self.change.options or self.change.value != view.status.id:  # else nothing to send
            self.change.set_options(options, value=view.status.id)
        self.change.set_visibility(bool(view.next_statuses))

    async def chosen(self) -> None:
        # Read the pick before any await: a live refresh landing meanwhile (the pane's resync on connect, another
        # person's change) shows the stored status again, and reading it after would move the request nowhere.
        target = self.change.value
        if target in (None, self.status_id):
            return
        try:
            await self.tab.desk.requests.change_status(actor_id=await self.tab.actor_id(), request_id=self.request_id,
                                                       status_id=target)
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            await self.reread()

    async def reread(self, _event: RequestChanged | None = None) -> None:
        view = await self._read()
        shown = self._shown()
        if shown is not None:
            shown(view)
