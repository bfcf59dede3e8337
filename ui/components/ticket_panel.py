"""A ticket's side panel: status, assignee with "Take", queue, times, the customer's other tickets."""

from __future__ import annotations

from typing import Protocol

from nicegui import ui

from domain.errors import DomainError
from domain.requests.views import RequestRecord, StatusRow, UserRow
from domain.tickets.views import TicketView

from ..i18n import error_text, t
from ..tab import Tab
from .facts import Facts
from .status_control import StatusControl

UNASSIGNED = 0


class PanelView(Protocol):
    """What the panel shows after it was built: a ticket's view, or the desk's lighter read after a change."""

    @property
    def ticket(self) -> RequestRecord: ...

    @property
    def status(self) -> StatusRow: ...

    @property
    def next_statuses(self) -> list[StatusRow]: ...

    @property
    def agents(self) -> list[UserRow]: ...


class TicketPanel(ui.column):
    def __init__(self, tab: Tab, view: TicketView) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.ticket_id = view.ticket.id
        self.view: PanelView = view
        with self:
            viewer_id, ticket_id = tab.user.id if tab.user else None, view.ticket.id
            # Not live itself: the ticket page shows each change here and in the timeline.
            self.status = StatusControl(
                tab, ticket_id, view, label=t('Status'), shown=self.show,
                read=lambda: tab.desk.tickets.context(viewer_id=viewer_id, request_id=ticket_id))
            with ui.row().classes('items-end gap-2'):
                # As wide as the status above; typing part of a name narrows the agents.
                self.assignee = ui.select({}, label=t('Assignee'), with_input=True).classes('w-48')
                self.take_button = ui.button(t('Take'), on_click=self.take).props('outline')
            facts = Facts()
            # Both can change while shown: a widget visitor signing in or registering makes the account the customer.
            self.customer = facts.line(t('Customer'))
            self.queue = facts.line(t('Queue'))
            facts.line(t('Channel'), view.ticket.channel)
            facts.moment(t('Created'), view.ticket.created_at)
            self.updated = facts.moment(t('Updated'))
            self.closed = facts.moment(t('Closed'))
            if view.other_tickets:
                ui.label(t("Customer's other tickets")).classes('text-subtitle1').props('role=heading aria-level=2')
                for other in view.other_tickets:
                    ui.link(f'#{other.id} {other.title} ({t(other.status)})', f'/inbox/{other.id}') \
                        .classes('text-body2 break-words')
        self.show(view)
        self.assignee.on_value_change(self.assign)

    def show(self, view: PanelView) -> None:
        self.view = view
        ticket = view.ticket
        self.status.show(view)
        self.customer.set_text(ticket.author)
        self.queue.set_text(ticket.queue)
        agents = {UNASSIGNED: t('Unassigned'), **{agent.id: agent.display_name for agent in view.agents}}
        if ticket.assignee_id is not None and ticket.assignee_id not in agents:  # deactivated since
            agents[ticket.assignee_id] = ticket.assignee or '?'
        self.assignee.set_options(agents, value=ticket.assignee_id or UNASSIGNED)
        me = self.tab.user.id if self.tab.user else None
        self.take_button.set_visibility(ticket.assignee_id != me)
        self.updated.show(ticket.updated_at)
        self.closed.show(ticket.closed_at)

    async def assign(self) -> None:
        chosen = self.assignee.value or None
        if chosen == self.view.ticket.assignee_id:
            return
        await self._act(self.tab.desk.tickets.assign(actor_id=await self.tab.actor_id(), request_id=self.ticket_id,
                                                     assignee_id=chosen))

    async def take(self) -> None:
        await self._act(self.tab.desk.tickets.take(actor_id=await self.tab.actor_id(), request_id=self.ticket_id))

    async def _act(self, action: object) -> None:
        try:
            await action  # type: ignore[misc]
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            self.show(self.view)  # back to what is true
