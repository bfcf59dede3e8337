"""The desk's ticket list, live: filters, counts per status, search, sort, pages; rows move as tickets change."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from nicegui import ui

from domain.events import RequestChanged, RequestCreated
from domain.rules.checks import CHANNELS
from domain.tickets.views import DeskOptions, InboxPage, InboxQuery

from ..i18n import t
from ..pacer import Pacer
from ..tab import Tab
from ..weakly import weakly
from .desk_row import DeskRowView
from .keyed_rows import sync_rows
from .pager import show_pages
from .status_chip import COLORS

# Every open inbox of this process refreshes in step, at most ten times a second. At four, a message waited up to a
# quarter of a second for the next round, most of an agent's p99 at 50 messages/s; the reads are shared, so rounds
# this close cost no more (bench/live_load.py scenario 7: p99 332 -> 142 ms, server CPU 37.8 -> 33.2 s).
PACE = Pacer(0.1)
SORTS = {'updated:desc': 'Recently updated', 'updated:asc': 'Least recently updated',
         'created:desc': 'Newest first', 'created:asc': 'Oldest first'}
OPEN, EVERY = 'open', 'all'  # status filter values besides a status id
AGES_EVERY = 60.0  # seconds between looks at the rows' ages ("5 min"); a row is rewritten only when its age changed


class DeskList(ui.column):
    def __init__(self, tab: Tab, options: DeskOptions) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.options = options
        self.rows: dict[int, DeskRowView] = {}
        self.status: int | str = OPEN
        self.selected: int | None = None
        self._marked_view: DeskRowView | None = None  # the row element marked as the selected ticket's
        self._chips: dict[int | str, ui.chip] = {}
        self._chip_looks: dict[int | str, tuple[str, int, str, bool]] = {}
        self._lock = asyncio.Lock()
        with self:
            with ui.row().classes('w-full items-baseline justify-between no-wrap'):
                ui.label(t('Inbox')).classes('text-h6').props('role=heading aria-level=1')
                self.summary = ui.label().classes('text-caption text-grey-7')
            self.search = ui.input(t('Search titles and customers')).props('clearable debounce=300 dense outlined') \
                .classes('w-full')
            with ui.grid(columns=2).classes('w-full gap-2'):
                agents = {agent.id: agent.display_name for agent in options.agents}
                self.assignee = ui.select({'any': t('Anyone'), 'me': t('Me'), 'unassigned': t('Unassigned'),
                                           **agents}, value='any', label=t('Assignee'), with_input=True) \
                    .props('dense outlined')  # typing part of a name narrows the agents
                self.queue = ui.select({0: t('All queues'), **{q.id: q.name for q in options.queues}}, value=0,
                                       label=t('Queue')).props('dense outlined')
                self.channel = ui.select({'': t('All channels'), **{c: c for c in CHANNELS}}, value='',
                                         label=t('Channel')).props('dense outlined')
                self.sort = ui.select({key: t(label) for key, label in SORTS.items()}, value='updated:desc',
                                      label=t('Sort')).props('dense outlined')
            self.counts = ui.row().classes('items-center gap-1').mark('status-counts')
            self.list = ui.column().classes('w-full gap-0') \
                .props(f'role=list aria-label="{t("Tickets")}"').mark('ticket-list')
            self.empty = ui.label(t('No tickets match.')).classes('text-grey-7 p-2')
            self.pager = ui.pagination(1, 1, direction_links=True, on_change=lambda e: self.show(e.value)) \
                .props('max-pages=5 boundary-numbers')
        for control in (self.search, self.assignee, self.queue, self.channel, self.sort):
            control.on_value_change(lambda: self.show(1))
        tab.live.watch(RequestCreated, self.changed, container=self.list, resync=lambda: self.show(self.pager.value),
                       in_page=False)
        tab.live.watch(RequestChanged, self.changed, container=self.list, in_page=False)
        # No element and no task per tab for the ages: one timer call a minute, set again while the list lives.
        self._tick_later()

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

    def select(self, ticket_id: int | None) -> None:
        """Mark the ticket shown beside the list (its row, when it is on this page)."""
        self.selected = ticket_id
        self._mark_selected()

    def neighbour(self, step: int) -> int | None:
        """The ticket `step` rows below (or above) the selected one in the list as shown; the first if none is."""
        ids = [view.row.id for view in self.list.default_slot.children if isinstance(view, DeskRowView)]
        if not ids:
            return None
        if self.selected not in ids:
            return ids[0] if step > 0 else ids[-1]
        index = ids.index(self.selected) + step
        return ids[index] if 0 <= index < len(ids) else None

    def _apply(self, result: InboxPage) -> None:
        sync_rows(self.list, self.rows, result.rows, key=lambda row: row.id, build=DeskRowView, reuse=True)
        self._mark_selected()  # a reused row element may now show the selected ticket, or no longer
        self.empty.set_visibility(not result.rows)
        show_pages(self.pager, result.page, result.pages)
        self.summary.set_text(t('Tickets: {count}', count=result.total))
        self._show_counts(result)

    def _mark_selected(self) -> None:
        """Only the row marked and the row to mark are looked at: every agent's list refreshes on each change, and
        asking each of its rows cost more than the rows' own update (bench/live_load.py scenario 2)."""
        view = self.rows.get(self.selected) if self.selected is not None else None
        marked = self._marked_view
        if marked is not None and (marked is not view or marked.row.id != self.selected) and not marked.is_deleted:
            self._mark(marked, False)
        if view is not None:
            self._mark(view, True)
        self._marked_view = view

    @staticmethod
    def _mark(view: DeskRowView, selected: bool) -> None:
        if ('sb-desk-selected' in view.classes) != selected:  # else nothing to send
            view.classes(add='sb-desk-selected') if selected else view.classes(remove='sb-desk-selected')
            view.props('aria-current=true') if selected else view.props(remove='aria-current')

    def _tick_later(self) -> None:
        ages = weakly(self._ages)  # the timer must not keep a closed tab's list alive for a minute
        asyncio.get_running_loop().call_later(AGES_EVERY, lambda: (tick := ages()) and tick())

    def _ages(self) -> None:
        if self.is_deleted:
            return
        now = datetime.now(UTC)
        for view in self.rows.values():
            view.tick(now)
        self._tick_later()

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
        return ui.chip(on_click=lambda: self.choose_status(value)).props('clickable dense').mark(f'count-{value}')
