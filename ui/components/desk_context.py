"""The desk's right pane: who the customer is, their other tickets, status, assignee, queue and the timeline, live."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.events import RequestChanged
from domain.tickets.views import TicketView
from domain.widgets.visitors import CHANNEL as WIDGET

from ..i18n import t
from ..tab import Tab
from .icon_button import icon_button
from .ticket_panel import TicketPanel
from .timeline import Timeline
from .widget_facts import VisitorFacts


class DeskContext(ui.column):
    """`hide` returns to the conversation where the two do not fit side by side (below `xl`)."""

    def __init__(self, tab: Tab, view: TicketView, *, hide: Callable[[], None]) -> None:
        super().__init__()
        self.tab = tab
        self.ticket_id = view.ticket.id
        with self:
            with ui.row().classes('w-full items-center no-wrap gap-1'):
                icon_button('arrow_back', label=t('Back to the conversation'), tooltip=t('Back to the conversation'),
                            on_click=hide).classes('xl:hidden').mark('desk-context-back')
                ui.label(t('Ticket #{id}', id=view.ticket.id)).classes('text-subtitle1') \
                    .props('role=heading aria-level=2')
            self.panel = TicketPanel(tab, view)
            # A widget's visitor: the page they are on, where from, their language (read in `load`, then live).
            self.visitor = VisitorFacts(tab, self.ticket_id) if view.ticket.channel == WIDGET else None
            self.timeline = Timeline()
        tab.live.watch(RequestChanged, self.changed, key=self.ticket_id, container=self.panel, resync=self.changed)
        if self.visitor is not None:
            tab.live.watch(RequestChanged, self.visitor.refresh, key=self.ticket_id, container=self.visitor,
                           resync=self.visitor.refresh)

    async def opened(self) -> None:
        """What is read once the pane is on the page (not needed to start): the visitor's facts, the timeline."""
        if self.visitor is not None:
            await self.visitor.refresh()
        await self.changed()

    async def changed(self, _event: RequestChanged | None = None) -> None:
        """The panel as the ticket is now, and the timeline's new events: one read."""
        found = await self.tab.desk.tickets.context(viewer_id=self.tab.user.id if self.tab.user else None,
                                                    request_id=self.ticket_id, after_event_id=self.timeline.last_id)
        self.panel.show(found)
        self.timeline.append(found.events)
