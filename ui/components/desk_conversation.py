"""The desk's middle pane: a ticket's conversation with its notes, live, and the box to reply or add a note."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.events import MessagePosted
from domain.files import Upload
from domain.tickets.views import TicketView

from ..i18n import t
from ..tab import Tab
from .desk_layout import MESSAGES
from .desk_row import ticket_path
from .icon_button import icon_button
from .live_thread import LiveThread, request_messages
from .reply_box import ReplyBox
from .typing_notice import TypingNotice, TypingSignal


class DeskConversation(ui.column):
    """Staff reply or note here; the customer's messages and typing arrive live.

    `show_context` opens the context pane where it does not fit beside the conversation (below `xl`).
    """

    def __init__(self, tab: Tab, view: TicketView, *, show_context: Callable[[], None]) -> None:
        super().__init__()
        self.tab = tab
        self.ticket_id = view.ticket.id
        self.signal = TypingSignal()
        self._note = False  # the next send is an internal note
        viewer_id = tab.user.id if tab.user else None
        with self:
            with ui.row().classes('w-full items-center no-wrap gap-1'):
                icon_button('arrow_back', label=t('Back to the list'), tooltip=t('Back to the list'),
                            on_click=lambda: ui.navigate.to('/inbox')).classes('md:hidden').mark('desk-back')
                ui.label(view.ticket.title).classes('text-h6 break-words min-w-0 leading-tight') \
                    .props('role=heading aria-level=2').mark('desk-title')
                icon_button('info', label=t('Details'), tooltip=t('Details'), on_click=show_context) \
                    .classes('xl:hidden ml-auto').mark('desk-details')
            with ui.element('div').classes(MESSAGES):
                self.messages = LiveThread(viewer_id, view.conversation_id,
                                           request_messages(tab.desk, viewer_id, self.ticket_id),
                                           messages=view.messages, mark_read=self.mark_read,
                                           empty=t('No messages yet.'))
            self.typing = TypingNotice(t('Customer is typing…'), from_staff=False)
            self.box = ReplyBox(tab, draft_key=f'ticket-{self.ticket_id}', return_to=ticket_path(self.ticket_id),
                                send=self.send)
        self.box.button.set_text(t('Reply'))
        self.box.button.classes(remove='ml-auto').props('no-caps')
        # The box's row holds the files, then both buttons as one group that wraps as a unit where space is short.
        with self.box.button.parent_slot.parent:
            with ui.row().classes('ml-auto gap-2 flex-wrap justify-end') as buttons:
                ui.button(t('Add internal note'), icon='sticky_note_2', on_click=self.add_note) \
                    .props('outline no-caps color=amber-9')
        self.box.button.move(target_container=buttons)
        self.box.text.on_value_change(self.typed)
        self.messages.follow(tab.live, self.ticket_id, on_posted=self.posted)

    async def add_note(self) -> None:
        if self.box.text.value:  # an empty box is refused as a reply would be; the flag must not outlive it
            self._note = True
        await self.box.submit()

    async def send(self, text: str, files: list[Upload]) -> None:
        note, self._note = self._note, False
        message = await self.tab.desk.tickets.reply(actor_id=await self.tab.actor_id(), request_id=self.ticket_id,
                                                    text=text, note=note, files=files)
        await self.messages.refresh(message.conversation_id, upto=message.id)

    async def typed(self) -> None:
        if self.box.text.value and self.signal.due():
            await self.tab.desk.support.typing(actor_id=await self.tab.actor_id(), request_id=self.ticket_id)

    async def posted(self, event: MessagePosted) -> None:
        await self.messages.posted(event)
        self.typing.hide()

    async def mark_read(self, _conversation_id: int) -> None:
        await self.tab.desk.tickets.mark_read(viewer_id=self.messages.viewer_id, request_id=self.ticket_id)
