"""The left side of a request page: title, status (changeable along the workflow), people, times, description."""

from __future__ import annotations

from nicegui import ui

from domain.requests.service import RequestView

from ..i18n import t
from ..tab import Tab
from .facts import Facts
from .status_control import StatusControl


class RequestDetails(ui.column):
    """Kept in step with the request: a status change anywhere updates the chip, the choices and the time."""

    def __init__(self, tab: Tab, view: RequestView) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.request_id = view.request.id
        request = view.request
        with self:
            ui.label(request.title).classes('text-2xl md:text-4xl break-words').props('role=heading aria-level=1')
            viewer_id, request_id = tab.user.id if tab.user else None, request.id
            self.status = StatusControl(tab, request_id, view, label=t('Change status'), live=True, shown=self.show,
                                        read=lambda: tab.desk.requests.open(viewer_id=viewer_id, request_id=request_id))
            facts = Facts()
            facts.line(t('Author'), request.author)
            facts.moment(t('Created'), request.created_at)
            self.updated = facts.moment(t('Updated'), request.updated_at).mark('updated')
            if request.description:
                ui.label(request.description).classes('whitespace-pre-wrap break-words mt-2')

    def show(self, view: RequestView) -> None:
        self.status.show(view)
        self.updated.show(view.request.updated_at)
