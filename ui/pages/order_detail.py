"""/orders/{id}: the order with its items and total on the left, the conversation with the shop on the right; live."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.errors import NotFound, NotSignedIn
from domain.files import Upload
from domain.orders.service import OrderView

from ..components.live_thread import LiveThread, request_messages
from ..components.not_found import not_found
from ..components.order_summary import OrderSummary
from ..components.reply_box import ReplyBox
from ..i18n import t
from ..tab import Tab
from . import path_id


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/orders/{order_id}'] = order_detail


async def order_detail(tab: Tab, order_id: str) -> None:
    viewer_id = tab.user.id if tab.user else None
    try:
        view = await tab.desk.orders.open(viewer_id=viewer_id, order_id=path_id(order_id) or 0)
    except (NotFound, NotSignedIn):  # a visitor learns nothing about which orders exist
        not_found(t('This order does not exist.'))
        return
    ui.page_title(f'#{view.order.id} {view.order.title} · Switchboard')
    ui.link(t('All orders'), '/orders').classes('text-body2')
    with ui.row().classes('w-full gap-8 items-start no-wrap max-md:flex-wrap'):
        OrderSummary(tab, view).classes('md:w-1/2')
        with ui.column().classes('w-full md:w-1/2 gap-2').mark('order-conversation'):
            conversation = OrderConversation(tab, view)
    await conversation.mark_read()


class OrderConversation(ui.column):
    """The customer writes to the shop; staff answer here as in the desk (internal notes stay in the desk)."""

    def __init__(self, tab: Tab, view: OrderView) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.order_id = view.order.id
        self.is_staff = view.is_staff
        viewer_id = tab.user.id if tab.user else None
        with self:
            heading = t('Conversation with {name}', name=view.order.author) if view.is_staff \
                else t('Conversation with the shop')
            ui.label(heading).classes('text-subtitle1').props('role=heading aria-level=2')
            self.messages = LiveThread(viewer_id, view.conversation_id,
                                       request_messages(tab.desk, viewer_id, self.order_id),
                                       messages=view.messages, empty=t('No messages yet.'), mark_read=self.mark_read)
            ReplyBox(tab, draft_key=f'order:{self.order_id}', return_to=f'/orders/{self.order_id}', send=self.send,
                     with_files=False)
        self.messages.follow(tab.live, self.order_id)

    async def send(self, text: str, _files: list[Upload]) -> None:
        actor_id = await self.tab.actor_id()
        if self.is_staff:
            message = await self.tab.desk.tickets.reply(actor_id=actor_id, request_id=self.order_id, text=text)
        else:
            message = await self.tab.desk.orders.write(actor_id=actor_id, order_id=self.order_id, text=text)
        await self.messages.refresh(message.conversation_id, upto=message.id)

    async def mark_read(self, conversation_id: int | None = None) -> None:
        viewer_id, conversation_id = self.messages.viewer_id, conversation_id or self.messages.conversation_id
        if conversation_id is None:
            return
        if self.is_staff:
            await self.tab.desk.tickets.mark_read(viewer_id=viewer_id, request_id=self.order_id)
        else:
            await self.tab.desk.conversations.mark_read(viewer_id=viewer_id, conversation_id=conversation_id)
