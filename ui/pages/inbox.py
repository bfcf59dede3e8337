"""/inbox: the staff's tickets, live — filters, counts per status, search, sort, pages; rows move as tickets change."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from nicegui import ui

from domain.errors import PermissionDenied
from domain.events import RequestChanged, RequestCreated
from domain.tickets.service import DeskOptions, InboxPage, InboxQuery

from ..components.keyed_rows import sync_rows
from ..components.not_found import refused
from ..components.pager import show_pages
from ..components.status_chip import COLORS
from ..components.ticket_row import TicketRowView, ticket_list_header
from ..i18n import t
from ..pacer import Pacer
from ..tab import Tab

PACE = Pacer(0.25)  # every open inbox of this process refreshes in step, at most four times a second
SORTS = {'updated:desc': 'Recently updated', 'updated:asc': 'Least recently updated',
         'created:desc': 'Newest first', 'created:asc': 'Oldest first'}
CHANNELS = ('web', 'telegram', 'api', 'widget')
OPEN, EVERY = 'open', 'all'  # status filter values besides a status id


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/inbox'] = inbox_page


async def inbox_page(tab: Tab) -> None:
    try:
        options = await tab.desk.tickets.options(viewer_id=tab.user.id if tab.user else None)
    except PermissionDenied as error:
        refused(tab, error)
        return
    inbox = Inbox(tab, options)
    await inbox.show(1)


class Inbox(ui.column):
    def __init__(self, tab: Tab, options: DeskOptions) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.options = options
        self.rows: dict[int, TicketRowView] = {}
        self.status: int | str = OPEN
        self._chips: dict[int | str, ui.chip] = {}
        self._chip_looks: dict[int | str, tuple[str, int, str, bool]] = {}
        self._lock = asyncio.Lock()
        with self:
            ui.label(t('Inbox')).classes('text-h5').props('role=heading aria-level=1')
            self.counts = ui.row().classes('items-center gap-2').mark('status-counts')
            with ui.row().classes('w-full items-end gap-4'):
                self.search = ui.input(t('Search titles and customers')).props('clearable debounce=300') \
                    .classes('w-64')
                agents = {agent.id: agent.display_name for agent in options.agents}
                self.assignee = ui.select({'any': t('Anyone'), 'me': t('Me'), 'unassigned': t('Unassigned'),
                                           **agents}, value='any', label=t('Assignee'), with_input=True) \
                    .classes('w-44')  # typing part of a name narrows the agents
                self.queue = ui.select({0: t('All queues'), **{q.id: q.name for q in options.queues}}, value=0,
                                       label=t('Queue')).classes('w-40')
                self.channel = ui.select({'': t('All channels'), **{c: c for c in CHANNELS}}, value='',
                                         label=t('Channel')).classes('w-36')
                self.sort = ui.select({key: t(label) for key, label in SORTS.items()}, value='updated:desc',
                                      label=t('Sort')).classes('w-52')
            with ui.element('div').classes('w-full').props(f'role=table aria-label="{t("Tickets")}"'):
                ticket_list_header()
                self.list = ui.column().classes('w-full gap-0').props('role=rowgroup').mark('ticket-list')
            self.empty = ui.label(t('No tickets match.')).classes('text-grey-7 p-2')
            with ui.row().classes('w-full items-center justify-between'):
                self.summary = ui.label()
                self.pager = ui.pagination(1, 1, direction_links=True, on_change=lambda e: self.show(e.value))
        for control in (self.search, self.assignee, self.queue, self.channel, self.sort):
            control.on_value_change(lambda: self.show(1))
        tab.live.watch(RequestCreated, self.changed, container=self.list, resync=lambda: self.show(self.pager.value))
        tab.live.watch(RequestChanged, self.changed, container=self.list)

    def query(self, page: int) -> InboxQuery:
        sort, direction = (self.sort.value or 'updated:desc').split(':')
        return InboxQuery(status_id=self.status if isinstance(self.status, int) else None,
                          open_only=self.status == OPEN, assignee=self.assignee.value or 'any',
                          queue_id=self.queue.value or None, channel=self.channel.value or None,
                          search=self.search.value or '', sort=sort, descending=direction == 'desc', page=page)

    async def show(self, page: int) -> None:
        """Read the page and change only what differs from what is shown."""
        async with self._lock:
            assert self.tab.user is not None
            result = await self.tab.desk.tickets.inbox(viewer_id=self.tab.user.id, query=self.query(page))
            if not self.is_deleted:
                self._apply(result)

    def changed(self, _event: RequestCreated | RequestChanged) -> None:  # no task per tab: notes a refresh
        PACE.request(self, self._refresh)

    async def _refresh(self) -> None:
        if not self.is_deleted:
            with self:
                await self.show(self.pager.value)

    async def choose_status(self, status: int | str) -> None:
        self.status = status
        await self.show(1)

    def _apply(self, result: InboxPage) -> None:
        sync_rows(self.list, self.rows, result.rows, key=lambda row: row.id, build=TicketRowView, reuse=True)
        self.empty.set_visibility(not result.rows)
        show_pages(self.pager, result.page, result.pages)
        self.summary.set_text(t('Tickets: {count}', count=result.total))
        self._show_counts(result)

    def _show_counts(self, result: InboxPage) -> None:
        """The count chips: built once per set of statuses, then only their text and look change."""
        open_count = sum(result.counts.get(s.id, 0) for s in self.options.statuses if s.kind != 'closed')
        chips = [(OPEN, t('All open'), open_count, 'primary')]
        chips += [(s.id, t(s.name), result.counts[s.id], COLORS.get(s.kind, 'primary'))
                  for s in self.options.statuses if s.id in result.counts]
        chips.append((EVERY, t('All'), sum(result.counts.values()), 'grey-7'))
        if [value for value, *_ in chips] != list(self._chips):
            self.counts.clear()
            with self.counts:
                self._chips = {value: self._chip(value) for value, *_ in chips}
            self._chip_looks = {}
        for value, label, count, color in chips:
            selected = self.status == value
            look = (label, count, color, selected)
            if self._chip_looks.get(value) == look:
                continue  # parsing props strings again cost every open inbox, four times a second
            self._chip_looks[value] = look
            chip = self._chips[value]
            chip.set_text(f'{label} · {count}')
            chip.props(f'aria-pressed={str(selected).lower()}')
            if selected:
                chip.props(f'color={color}', remove='outline')
            else:
                chip.props('outline', remove='color')

    def _chip(self, value: int | str) -> ui.chip:
        return ui.chip(on_click=lambda: self.choose_status(value)).props('clickable').mark(f'count-{value}')
