"""A request's status as a chip, with the statuses it may move to next; a refusal puts back what is true."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from nicegui import ui

from domain.errors import DomainError
from domain.views import StatusRow

from ..i18n import error_text, t
from ..tab import Tab
from .status_chip import status_chip


class StatusControl(ui.row):
    """Shown for requests, orders and tickets alike; the choice is hidden when the viewer may not move it."""

    def __init__(self, tab: Tab, request_id: int, status: StatusRow, *, label: str,
                 reread: Callable[[], Awaitable[None]] | None = None) -> None:
        super().__init__()
        self.classes('items-center gap-2')
        self.tab = tab
        self.request_id = request_id
        self.status_id = status.id
        self._reread = reread  # after a refusal: what the owner shows besides the status may have changed too
        with self:
            self.chip = status_chip(status.name, status.kind).mark('status')
            self.change = ui.select({}, label=label).classes('w-48').mark('change-status')
        self.change.on_value_change(self.move)

    def show(self, status: StatusRow, next_statuses: Sequence[StatusRow]) -> None:
        self.status_id = status.id
        self.chip.show(status.name, status.kind)
        options = {status.id: t(status.name), **{s.id: t(s.name) for s in next_statuses}}
        if options != self.change.options or self.change.value != status.id:  # else nothing to send
            self.change.set_options(options, value=status.id)
        self.change.set_visibility(bool(next_statuses))

    async def move(self) -> None:
        if self.change.value in (None, self.status_id):
            return
        try:
            await self.tab.desk.requests.change_status(actor_id=await self.tab.actor_id(), request_id=self.request_id,
                                                       status_id=self.change.value)
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            self.change.set_value(self.status_id)  # back to what was shown, until the owner has read it again
            if self._reread is not None:
                await self._reread()
