"""/support: the customer's one support chat — earlier tickets above, the open one below, live both ways."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain import permissions
from domain.errors import NotSignedIn
from domain.events import ConversationRead, MessagePosted, RequestChanged, Typing
from domain.files import Upload
from domain.tickets.support import SupportChat

from ..components.live_thread import LiveThread, request_messages
from ..components.reply_box import ReplyBox
from ..components.typing_notice import TypingNotice, TypingSignal
from ..i18n import t
from ..tab import Tab

DRAFT = 'support'
UNSEEN_AFTER = 15.0  # s: longer than main.py's reconnect_timeout, so a tab that reconnects still marks what it shows
RULE = '1px solid rgba(128, 128, 128, 0.3)'  # between tickets, visible on light and dark


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/support'] = support_page


async def support_page(tab: Tab) -> None:
    ui.label(t('Support')).classes('text-h5').props('role=heading aria-level=1')
    if tab.user is None:
        visitor(tab)
        return
    if permissions.is_staff(tab.user):
        ui.label(t('Staff answer customers in the inbox.'))
        ui.link(t('Open the inbox'), '/inbox')
        return
    SupportChatPane(tab, await tab.desk.support.chat(viewer_id=tab.user.id))
    # Shown is read: the header's badge counts support answers until the chat is opened (one cached read when
    # nothing is unread, a write only when something is).
    if (await tab.desk.conversations.unread_places(user_id=tab.user.id)).support:
        await tab.desk.support.mark_read(viewer_id=tab.user.id)


def visitor(tab: Tab) -> None:
    """A visitor may start typing; sending asks them to sign in, and the text waits for them."""
    ui.label(t('Sign in or create an account to chat with support.'))
    with ui.row().classes('gap-4'):
        ui.link(t('Sign in'), '/login?redirect_to=/support')
        ui.link(t('Create account'), '/register?redirect_to=/support')

    async def refuse(_text: str, _files: list[Upload]) -> None:
        raise NotSignedIn('Sign in or create an account to chat with support.')

    ReplyBox(tab, draft_key=DRAFT, return_to='/support', send=refuse, with_files=False)


class SupportChatPane(ui.column):
    def __init__(self, tab: Tab, chat: SupportChat) -> None:
        super().__init__()
        self.classes('w-full max-w-3xl gap-2')
        self.tab = tab
        # None only in a chat widget, until the visitor's first message makes them (ui/components/widget_chat.py).
        self.user_id: int | None = tab.user.id if tab.user is not None else None
        self.threads: dict[int, LiveThread] = {}  # conversation id -> its messages, one thread a ticket
        self.open_ticket_id = chat.open_ticket_id
        self.signal = TypingSignal()
        self.state: ui.label | None = None  # how to begin, or that the last ticket is closed: made when first needed
        with self:
            self.history = ui.column().classes('w-full gap-2')
            self.typing = TypingNotice(t('Support is typing…'), from_staff=True)
            self.box = ReplyBox(tab, draft_key=DRAFT, return_to='/support', send=self.send)
        self.box.text.on_value_change(self.typed)
        self.show(chat)

    def show(self, chat: SupportChat) -> None:
        """Add what is missing: new tickets, messages, receipts; and show the open state."""
        for thread in chat.threads:
            self._thread(thread.ticket.id, thread.ticket.title, thread.conversation_id).append(thread.messages)
        for messages in self.threads.values():
            messages.read_by_staff(chat.read_upto)
        self.open_ticket_id = chat.open_ticket_id
        self._show_state()

    def _thread(self, ticket_id: int, title: str, conversation_id: int) -> LiveThread:
        if conversation_id not in self.threads:
            with self.history:  # the caption's top border separates the tickets
                ui.label(t('Ticket #{id}: {title}', id=ticket_id, title=title)) \
                    .classes('w-full pt-2 text-caption text-grey-7').style(f'border-top: {RULE}')
                self.threads[conversation_id] = LiveThread(
                    self.user_id, conversation_id, request_messages(self.tab.desk, self.user_id, ticket_id),
                    receipts=True, mark_read=self.mark_read)
            self._watch(ticket_id, self.threads[conversation_id])
        return self.threads[conversation_id]

    def _watch(self, ticket_id: int, thread: LiveThread) -> None:
        live = self.tab.live
        thread.follow(live, ticket_id, on_posted=self.posted)
        live.watch(ConversationRead, self.read, key=ticket_id, container=self.history)
        # Besides new messages a reconnect may have missed a new ticket, receipts, the open state: read it all.
        live.watch(RequestChanged, self.changed, key=ticket_id, container=self.history, resync=self.resync)
        live.watch(Typing, self.typing.on_typing, key=ticket_id, container=self.typing)

    async def send(self, text: str, files: list[Upload]) -> None:
        message = await self.tab.desk.support.write(actor_id=await self.tab.actor_id(), text=text, files=files)
        await self._show_new(message.conversation_id, upto=message.id)

    async def typed(self) -> None:
        if self.open_ticket_id is not None and self.box.text.value and self.signal.due():
            await self.tab.desk.support.typing(actor_id=self.user_id, request_id=self.open_ticket_id)

    async def posted(self, event: MessagePosted) -> None:
        if event.conversation_id in self.threads:
            self.typing.hide()
        await self._show_new(event.conversation_id, upto=event.message_id)

    async def _show_new(self, conversation_id: int, *, upto: int | None = None) -> None:
        """A ticket shown reads after its last message; a message in another opened a new ticket: read it all."""
        thread = self.threads.get(conversation_id)
        await (thread.refresh(upto=upto) if thread is not None else self.resync())

    async def mark_read(self, conversation_id: int) -> None:
        """Support's answer arrived on the open chat: read, if someone is looking. A tab left for another page lives
        on unseen until NiceGUI's reconnect timeout (10 s here); marking there cleared the badge of an answer nobody
        saw. So wait for the tab to be connected (at once, usually); a tab that never comes back marks nothing."""
        try:
            await self.client.connected(timeout=UNSEEN_AFTER)
        except TimeoutError:
            return
        if self.is_deleted:  # the tab was closed (connected() returns then too) or the chat left
            return
        await self.tab.desk.conversations.mark_read(viewer_id=self.user_id, conversation_id=conversation_id)

    async def read(self, event: ConversationRead) -> None:
        if event.conversation_id in self.threads:
            self.threads[event.conversation_id].read_by_staff(event.upto_message_id)

    async def changed(self, event: RequestChanged) -> None:
        """Closed, reopened or assigned: only the open state shows here (messages and receipts have their own
        events). Each message touches its ticket, so this runs after every one: a whole re-read was the largest
        share of the server's time with 900 customers writing (bench/live_load.py scenario 2). A customer has at
        most one open ticket, so this one's record tells; the next typing notice checks the same record."""
        if await self.tab.desk.support.is_open(viewer_id=self.user_id, ticket_id=event.request_id):
            self.open_ticket_id = event.request_id
        elif self.open_ticket_id == event.request_id:
            self.open_ticket_id = None
        self._show_state()

    async def resync(self) -> None:
        """Read the chat again and add what is missing."""
        self.show(await self.tab.desk.support.chat(viewer_id=self.user_id))

    def _show_state(self) -> None:
        if not self.threads:
            text = t('Write your question below; the support team answers here.')
        elif self.open_ticket_id is None:
            text = t('Your last ticket is closed. Your next message opens a new one.')
        else:
            if self.state is not None:
                self.state.set_visibility(False)
            return
        if self.state is None:
            with self:
                self.state = ui.label().classes('text-grey-7')
            self.state.move(self, target_index=1)  # under the messages, above the typing notice and the box
        self.state.set_text(text)
        self.state.set_visibility(True)
