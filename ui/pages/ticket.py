"""/tickets/{id}: a ticket for staff — the conversation with notes, a reply box, the side panel, the timeline."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.errors import DomainError, NotFound, PermissionDenied
from domain.events import MessagePosted, RequestChanged, Typing
from domain.tickets.service import TicketView
from domain.widgets.visitors import CHANNEL

from ..components.attachments import FilePicker
from ..components.live_thread import LiveThread, request_messages
from ..components.not_found import not_found, refused
from ..components.ticket_panel import TicketPanel
from ..components.timeline import Timeline
from ..components.typing_notice import TypingNotice, TypingSignal
from ..components.widget_facts import visitor_facts
from ..i18n import error_text, t
from ..tab import Tab
from . import path_id


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/tickets/{ticket_id}'] = ticket_page


async def ticket_page(tab: Tab, ticket_id: str) -> None:
    viewer_id = tab.user.id if tab.user else None
    try:
        view = await tab.desk.tickets.ticket(viewer_id=viewer_id, request_id=path_id(ticket_id) or 0)
    except PermissionDenied as error:  # before any lookup: nobody but staff learns whether the ticket exists
        refused(tab, error)
        return
    except NotFound:
        not_found(t('This ticket does not exist.'))
        return
    await ticket_view(tab, view)


async def ticket_view(tab: Tab, view: TicketView) -> None:
    viewer_id = tab.user.id if tab.user else None
    ticket_id = view.ticket.id
    ui.page_title(f'#{ticket_id} {view.ticket.title} · Switchboard')
    with ui.row().classes('w-full gap-8 items-start no-wrap max-md:flex-wrap'):
        with ui.column().classes('w-full md:w-2/3 gap-2'):
            ui.label(view.ticket.title).classes('text-h5 break-words').props('role=heading aria-level=1')
            pane = TicketConversation(tab, view)
        with ui.column().classes('w-full md:w-1/3 gap-4'):
            panel = TicketPanel(tab, view)
            if view.ticket.channel == CHANNEL:
                await visitor_facts(tab, ticket_id)
            timeline = Timeline()
    timeline.append(await tab.desk.tickets.timeline(viewer_id=viewer_id, request_id=ticket_id))
    await tab.desk.tickets.mark_read(viewer_id=viewer_id, request_id=ticket_id)

    async def changed(_event: RequestChanged | MessagePosted | None = None) -> None:
        panel.show(await tab.desk.tickets.ticket(viewer_id=viewer_id, request_id=ticket_id))
        timeline.append(await tab.desk.tickets.timeline(viewer_id=viewer_id, request_id=ticket_id))

    tab.live.watch(RequestChanged, changed, key=ticket_id, container=panel, resync=changed)
    tab.live.watch(Typing, pane.typing.on_typing, key=ticket_id, container=pane.typing)


class TicketConversation(ui.column):
    """Staff reply or note here; the customer's messages and typing arrive live."""

    def __init__(self, tab: Tab, view: TicketView) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.ticket_id = view.ticket.id
        self.signal = TypingSignal()
        viewer_id = tab.user.id if tab.user else None
        with self:
            self.messages = LiveThread(viewer_id, view.conversation_id,
                                       request_messages(tab.desk, viewer_id, self.ticket_id),
                                       messages=view.messages, mark_read=self.mark_read)
            self.typing = TypingNotice(t('Customer is typing…'), from_staff=False)
            self.text = ui.textarea(t('Message')).props('autogrow outlined counter').classes('w-full')
            with ui.row().classes('w-full items-start justify-between gap-2'):
                self.files = FilePicker(max_bytes=tab.desk.files.limits.max_bytes)
                ui.space()
                ui.button(t('Add internal note'), icon='sticky_note_2', on_click=lambda: self.send(note=True)) \
                    .props('outline color=amber-9')
                ui.button(t('Reply'), icon='send', on_click=lambda: self.send(note=False))
        self.text.on_value_change(self.typed)
        self.messages.follow(tab.live, self.ticket_id, on_posted=self.posted)

    async def send(self, *, note: bool) -> None:
        text = self.text.value or ''
        try:
            message = await self.tab.desk.tickets.reply(actor_id=await self.tab.actor_id(),
                                                        request_id=self.ticket_id, text=text, note=note,
                                                        files=self.files.take())
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            return
        self.files.clear()
        if self.text.value == text:
            self.text.set_value('')
        await self.messages.refresh(message.conversation_id)

    async def typed(self) -> None:
        if self.text.value and self.signal.due():
            await self.tab.desk.support.typing(actor_id=await self.tab.actor_id(), request_id=self.ticket_id)

    async def posted(self, event: MessagePosted) -> None:
        await self.messages.posted(event)
        self.typing.hide()

    async def mark_read(self, _conversation_id: int) -> None:
        await self.tab.desk.tickets.mark_read(viewer_id=self.messages.viewer_id, request_id=self.ticket_id)
