"""One ticket on the desk: its conversation and its context side by side, or one at a time where they do not fit."""

from __future__ import annotations

from nicegui import ui

from domain.events import Typing
from domain.tickets.views import TicketView

from ..tab import Tab
from .desk_context import DeskContext
from .desk_conversation import DeskConversation
from .desk_layout import CONTEXT, CONVERSATION, show_one


class DeskTicket(ui.row):
    def __init__(self, tab: Tab, view: TicketView) -> None:
        super().__init__()
        self.classes('w-full h-full no-wrap gap-0 items-stretch')
        self.tab = tab
        self.ticket_id = view.ticket.id
        self.opened_fully = False  # the timeline read and the ticket marked read (tests wait for it)
        with self:
            self.conversation = DeskConversation(tab, view, show_context=lambda: self.show_context(True)) \
                .classes(CONVERSATION)
            self.context = DeskContext(tab, view, hide=lambda: self.show_context(False)).classes(CONTEXT)
        self.show_context(False)
        typing = self.conversation.typing
        tab.live.watch(Typing, typing.on_typing, key=self.ticket_id, container=typing)

    def show_context(self, shown: bool) -> None:
        """Below `xl` the context takes the conversation's place, and gives it back."""
        show_one(self.conversation, 'max-xl', shown)
        show_one(self.context, 'max-xl', not shown)

    async def opened(self) -> None:
        """Once shown: the timeline, and the ticket counts as read (the customer sees "Read")."""
        await self.context.opened()
        viewer_id = self.tab.user.id if self.tab.user else None
        await self.tab.desk.tickets.mark_read(viewer_id=viewer_id, request_id=self.ticket_id)
        self.opened_fully = True


def ticket_title(view: TicketView) -> str:
    return f'#{view.ticket.id} {view.ticket.title} · Switchboard'
