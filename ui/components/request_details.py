"""The left side of a request page: title, status (changeable along the workflow), people, times, description."""

from __future__ import annotations

from nicegui import ui

from domain.errors import DomainError
from domain.events import RequestChanged
from domain.requests import RequestView

from ..i18n import error_text, t, when
from ..tab import Tab
from .status_chip import status_chip


class RequestDetails(ui.column):
    """Kept in step with the request: a status change anywhere updates the chip, the choices and the time."""

    def __init__(self, tab: Tab, view: RequestView) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.request_id = view.request.id
        self.status_id = view.status.id
        request = view.request
        with self:
            ui.label(request.title).classes('text-h4 break-words').props('role=heading aria-level=1')
            with ui.row().classes('items-center gap-2'):
                self.chip = status_chip(view.status.name, view.status.kind).mark('status')
                self.change = ui.select({}, label=t('Change status')).classes('w-48')
            with ui.grid(columns='auto 1fr').classes('gap-x-4 gap-y-1 text-body2'):
                ui.label(t('Author')).classes('text-grey-7')
                ui.label(request.author)
                ui.label(t('Created')).classes('text-grey-7')
                ui.label(when(request.created_at))
                ui.label(t('Updated')).classes('text-grey-7')
                self.updated = ui.label(when(request.updated_at)).mark('updated')
            if request.description:
                ui.label(request.description).classes('whitespace-pre-wrap break-words mt-2')
        self.show(view)
        self.change.on_value_change(self.move)
        tab.live.watch(RequestChanged, self.reread, key=self.request_id, container=self.chip, resync=self.reread)

    def show(self, view: RequestView) -> None:
        self.status_id = view.status.id
        self.chip.show(view.status.name, view.status.kind)
        self.updated.set_text(when(view.request.updated_at))
        options = {view.status.id: t(view.status.name), **{s.id: t(s.name) for s in view.next_statuses}}
        if options != self.change.options or self.change.value != view.status.id:  # else nothing to send
            self.change.set_options(options, value=view.status.id)
        self.change.set_visibility(bool(view.next_statuses))

    async def move(self) -> None:
        if self.change.value in (None, self.status_id):
            return
        try:
            await self.tab.desk.requests.change_status(actor_id=await self.tab.actor_id(), request_id=self.request_id,
                                                       status_id=self.change.value)
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            await self.reread()

    async def reread(self, _event: RequestChanged | None = None) -> None:
        viewer_id = self.tab.user.id if self.tab.user else None
        self.show(await self.tab.desk.requests.open(viewer_id=viewer_id, request_id=self.request_id))
