"""/responses: the conversations a user takes part in, with a badge where there is something unread."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from domain.events import UnreadChanged
from domain.requests.views import ResponseRow

from ..components.keyed_rows import sync_rows
from ..components.status_chip import status_chip
from ..i18n import t
from ..tab import Tab
from ..when import Moment


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/responses'] = my_responses


class ResponseLine(ui.item):
    def __init__(self, row: ResponseRow) -> None:
        super().__init__()
        self.classes('w-full').mark(f'line-{row.conversation_id}')
        self.row = row
        with self:
            with ui.item_section():
                ui.link(row.title, f'/requests/{row.request_id}').classes('font-medium')
                self.last = ui.item_label(f'{row.other}: {row.last_message}').props('caption lines=1')
            with ui.item_section().props('side'):
                with ui.row().classes('items-center gap-2'):
                    self.status = status_chip(row.status, row.status_kind)
                    self.stamp = Moment(row.last_message_at).classes('text-caption')
                    self.unread = ui.badge(str(row.unread), color='negative') \
                        .props(f'aria-label="{t("{count} unread", count=row.unread)}"')
        self.unread.set_visibility(row.unread > 0)

    def update_row(self, row: ResponseRow) -> None:
        if row == self.row:
            return
        self.row = row
        self.last.set_text(f'{row.other}: {row.last_message}')
        self.status.show(row.status, row.status_kind)
        self.stamp.show(row.last_message_at)
        self.unread.set_text(str(row.unread))
        self.unread.set_visibility(row.unread > 0)


class ResponseSection(ui.column):
    def __init__(self, title: str, empty_text: str, load: Callable[[], Awaitable[list[ResponseRow]]]) -> None:
        super().__init__()
        self.classes('w-full gap-1')
        self.load = load
        self.lines: dict[int, ResponseLine] = {}
        with self:
            ui.label(title).classes('text-h6').props('role=heading aria-level=2')
            self.list = ui.list().props('separator bordered').classes('w-full')
            self.empty = ui.label(empty_text).classes('text-grey-7')

    async def refresh(self, _event: object = None) -> None:
        rows = await self.load()
        if self.is_deleted:
            return
        sync_rows(self.list, self.lines, rows, key=lambda row: row.conversation_id, build=ResponseLine)
        self.empty.set_visibility(not rows)
        self.list.set_visibility(bool(rows))


async def my_responses(tab: Tab) -> None:
    if tab.user is None:
        ui.label(t('Sign in to see your conversations.'))
        ui.link(t('Sign in'), '/login?redirect_to=/responses')
        return
    user_id = tab.user.id
    ui.label(t('My responses')).classes('text-h5').props('role=heading aria-level=1')
    sections = [
        ResponseSection(t('Requests I responded to'), t('You have not responded to any request yet.'),
                        lambda: tab.desk.conversations.my_responses(viewer_id=user_id)),
        ResponseSection(t('Responses to my requests'), t('Nobody has responded to your requests yet.'),
                        lambda: tab.desk.conversations.on_my_requests(viewer_id=user_id)),
    ]
    for section in sections:
        await section.refresh()
        tab.live.watch(UnreadChanged, section.refresh, key=user_id, container=section, resync=section.refresh)
