"""/requests/{id}: the request on the left, the response pane on the right; both stay live."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain import permissions
from domain.errors import NotFound
from domain.events import MessagePosted, UnreadChanged
from domain.requests.service import RequestView

from ..components.conversation import ConversationPane
from ..components.not_found import not_found
from ..components.request_details import RequestDetails
from ..components.responses_list import ResponsesList
from ..i18n import error_text, t
from ..tab import Tab
from . import path_id


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/requests/{request_id}'] = request_detail


async def request_detail(tab: Tab, request_id: str) -> None:
    viewer_id = tab.user.id if tab.user else None
    try:
        view = await tab.desk.requests.open(viewer_id=viewer_id, request_id=path_id(request_id) or 0)
    except NotFound as error:
        not_found(error_text(error))
        return
    ui.page_title(f'{view.request.title} · Switchboard')
    with ui.row().classes('w-full gap-8 items-start no-wrap max-md:flex-wrap'):
        RequestDetails(tab, view).classes('md:w-1/2')
        with ui.column().classes('w-full md:w-1/2 gap-2').mark('response-pane'):
            await response_pane(tab, view)


async def response_pane(tab: Tab, view: RequestView) -> None:
    request = view.request
    if request.visibility == 'private':  # a support ticket: its conversation lives in the chat or the desk
        ui.label(t('This is a support ticket.')).classes('text-subtitle1')
        if permissions.is_staff(tab.user):
            ui.link(t('Open it in the desk'), f'/tickets/{request.id}')
        else:
            ui.link(t('Open the support chat'), '/support')
        return
    if tab.user is None:
        ui.label(t('Sign in to respond')).classes('text-subtitle1')
        ui.link(t('Sign in'), f'/login?redirect_to=/requests/{request.id}')
        return
    if not view.is_author:
        thread = await tab.desk.conversations.thread(viewer_id=tab.user.id, request_id=request.id)
        if not view.can_respond and thread.conversation_id is None:
            ui.label(t('This request is closed.')).classes('text-grey-7')
            return
        pane = ConversationPane(tab, thread, can_write=True)
        await pane.mark_read()
        return
    await author_pane(tab, request.id)


async def author_pane(tab: Tab, request_id: int) -> None:
    assert tab.user is not None
    user_id = tab.user.id
    selected: list[int | None] = [None]

    async def open_conversation(conversation_id: int) -> None:
        selected[0] = conversation_id
        thread_area.clear()
        thread = await tab.desk.conversations.thread(viewer_id=user_id, request_id=request_id,
                                                     conversation_id=conversation_id)
        with thread_area:
            pane = ConversationPane(tab, thread, can_write=True)
        await pane.mark_read()
        await reread(None)

    async def reread(_event: MessagePosted | UnreadChanged | None) -> None:
        rows = await tab.desk.conversations.responses(viewer_id=user_id, request_id=request_id)
        if responses.is_deleted:
            return
        responses.show(rows, selected[0])

    responses = ResponsesList(open_conversation)
    thread_area = ui.column().classes('w-full')
    await reread(None)
    tab.live.watch(MessagePosted, reread, key=request_id, container=responses, resync=lambda: reread(None))
    tab.live.watch(UnreadChanged, reread, key=user_id, container=responses)
