"""/tickets/{id}: a ticket for staff — the conversation with notes, a reply box, the side panel, the timeline."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.errors import DomainError, NotFound, PermissionDenied
from domain.events import MessagePosted, RequestChanged, Typing
from domain.tickets import TicketView

from ..components.attachments import FilePicker
from ..components.message_list import MessageList
from ..components.not_found import not_found
from ..components.ticket_panel import TicketPanel
from ..components.timeline import Timeline
from ..components.typing_notice import TypingNotice, TypingSignal
from ..i18n import error_text, t
from ..tab import Tab
from . import path_id


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/tickets/{ticket_id}'] = ticket_page


async def ticket_page(tab: Tab, ticket_id: str) -> None:
    viewer_id = tab.user.id if tab.user else None
    try:
        view = await tab.desk.tickets.ticket(viewer_id=viewer_id, request_id=path_id(ticket_id) or 0)
    except (NotFound, PermissionDenied):
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
            timeline = Timeline()
    timeline.append(await tab.desk.tickets.timeline(viewer_id=viewer_id, request_id=ticket_id))
    await tab.desk.tickets.mark_read(viewer_id=viewer_id, request_id=ticket_id)

    async def changed(_event: RequestChanged | MessagePosted | None = None) -> None:
        panel.show(await tab.desk.tickets.ticket(viewer_id=viewer_id, request_id=ticket_id))
        timeline.append(await tab.desk.tickets.timeline(viewer_id=viewer_id, request_id=ticket_id))

    tab.live.watch(RequestChanged, changed, key=ticket_id, container=panel, resync=changed)
    tab.live.watch(MessagePosted, pane.posted, key=ticket_id, container=pane, resync=pane.refresh)
    tab.live.watch(Typing, pane.typing.on_typing, key=ticket_id, container=pane.typing)


class TicketConversation(ui.column):
    def __init__(self, tab: Tab, view: TicketView) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.ticket_id = view.ticket.id
        self.conversation_id = view.conversation_id
        self.signal = TypingSignal()
        with self:
            self.messages = MessageList(tab.user.id if tab.user else None)
            self.typing = TypingNotice(t('Customer is typing…'), from_staff=False)
            self.text = ui.textarea(t('Message')).props('autogrow outlined counter').classes('w-full')
            with ui.row().classes('w-full items-start justify-between gap-2'):
                self.files = FilePicker(max_bytes=tab.desk.files.limits.max_bytes)
                ui.space()
                ui.button(t('Add internal note'), icon='sticky_note_2', on_click=lambda: self.send(note=True)) \
                    .props('outline color=amber-9')
                ui.button(t('Reply'), icon='send', on_click=lambda: self.send(note=False))
        self.messages.append(view.messages)
        self.text.on_value_change(self.typed)

    async def send(self, *, note: bool) -> None:
        text = self.text.value or ''
        try:
            message = await self.tab.desk.tickets.reply(actor_id=await self.tab.actor_id(),
                                                        request_id=self.ticket_id, text=text, note=note,
                                                        files=self.files.take())
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            return
        self.conversation_id = message.conversation_id
        self.files.clear()
        if self.text.value == text:
            self.text.set_value('')
        await self.refresh()

    async def typed(self) -> None:
        if self.text.value and self.signal.due():
            await self.tab.desk.support.typing(actor_id=await self.tab.actor_id(), request_id=self.ticket_id)

    async def posted(self, event: MessagePosted) -> None:
        self.conversation_id = self.conversation_id or event.conversation_id
        await self.refresh()
        self.typing.hide()

    async def refresh(self) -> None:
        if self.conversation_id is None:
            return
        viewer_id = self.tab.user.id if self.tab.user else None
        new = await self.tab.desk.conversations.messages_after(
            viewer_id=viewer_id, request_id=self.ticket_id, conversation_id=self.conversation_id,
            after_id=self.messages.last_id)
        self.messages.append(new)
        if any(m.author_id != viewer_id for m in new):
            await self.tab.desk.tickets.mark_read(viewer_id=viewer_id, request_id=self.ticket_id)

