"""/admin/jobs: what the workers have pending, running, done and failed; a failed job can be queued again.

Jobs change every second without anyone acting on the page (workers finish them, retries come due), so the page
re-reads what it shows every few seconds while its browser is connected, changing only the rows that differ.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from nicegui import ui

from domain.errors import DomainError, PermissionDenied
from domain.jobs.service import JOB_STATUSES, JobRow, JobsOverview

from ..components.icon_button import icon_button
from ..components.job_row import STATUS_COLORS, STATUS_NAMES, JobRowView, job_list_header
from ..components.keyed_rows import sync_rows
from ..components.not_found import refused
from ..i18n import error_text, t
from ..tab import Tab
from ..when import zone_name

PAGE = 50
READ_AT_MOST = 100  # rows one read returns; a longer list is re-read in steps of this
REFRESH_SECONDS = 5.0
EVERY = ''  # the status and kind filters' "all" value


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/admin/jobs'] = jobs_page


async def jobs_page(tab: Tab) -> None:
    try:
        overview = await tab.desk.jobs.overview(actor_id=tab.user.id if tab.user else None)
    except PermissionDenied as error:
        refused(tab, error)
        return
    page = JobsAdmin(tab, overview)
    await page.reload()


class JobsAdmin(ui.column):
    def __init__(self, tab: Tab, overview: JobsOverview) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.views: dict[int, JobRowView] = {}
        self.shown: list[JobRow] = []
        self._lock = asyncio.Lock()
        with self:
            with ui.row().classes('w-full items-center gap-2'):
                ui.label(t('Jobs')).classes('text-h5').props('role=heading aria-level=1')
                ui.space()
                ui.label(t('Times are in {zone}. The list refreshes every few seconds.', zone=zone_name())) \
                    .classes('text-caption text-grey-7')
                icon_button('refresh', label=t('Refresh'), tooltip=t('Refresh'), on_click=self.refresh) \
                    .mark('jobs-refresh')
            self.counts = ui.row().classes('items-center gap-2').mark('job-counts')
            self.chips = {status: self._chip(status) for status in (EVERY, *JOB_STATUSES)}
            with ui.row().classes('w-full items-end gap-4'):
                self.status = ui.select({EVERY: t('All statuses'),
                                         **{status: t(STATUS_NAMES[status]) for status in JOB_STATUSES}},
                                        value=EVERY, label=t('Status')).classes('w-40')
                self.kind = ui.select({EVERY: t('All kinds')}, value=EVERY, label=t('Kind')).classes('w-48')
                self.search = ui.input(t('Search keys and errors')).props('clearable debounce=300').classes('w-64')
            with ui.element('div').classes('w-full overflow-x-auto'):
                with ui.element('div').classes('min-w-[77rem]').props(f'role=table aria-label="{t("Jobs")}"'):
                    job_list_header()
                    self.list = ui.column().classes('w-full gap-0').props('role=rowgroup').mark('job-list')
            self.empty = ui.label(t('No jobs match.')).classes('text-grey-7 p-2')
            self.more = ui.button(t('Load more'), on_click=self.load_more).props('flat').mark('jobs-more')
            self.timer = ui.timer(REFRESH_SECONDS, self.tick, immediate=False).mark('jobs-timer')
        for control in (self.status, self.kind, self.search):
            control.on_value_change(self.reload)
        self._show_overview(overview)

    async def reload(self) -> None:
        """The newest jobs that match the filters, from the top."""
        async with self._lock:
            rows, more = await self._read(PAGE)
            self._apply(rows, more)

    async def load_more(self) -> None:
        async with self._lock:
            before_id = self.shown[-1].id if self.shown else None
            result = await self.tab.desk.jobs.list(actor_id=await self.tab.actor_id(), **self._filters(),
                                                   before_id=before_id, limit=PAGE)
            self._apply(self.shown + result.rows, result.more)

    async def refresh(self) -> None:
        """Read again as many rows as are shown, from the top: rows change in place, new ones come in on top."""
        async with self._lock:
            rows, more = await self._read(max(PAGE, len(self.shown)))
            self._apply(rows, more)

    async def tick(self) -> None:
        if self.is_deleted or not self.client.has_socket_connection:
            return  # nobody is looking: a reconnecting browser gets the next round
        try:
            await self.refresh()
        except PermissionDenied:
            self.timer.cancel()  # signed out or no longer an admin; the header deals with the session

    async def retry(self, row: JobRow) -> None:
        try:
            await self.tab.desk.jobs.retry(actor_id=await self.tab.actor_id(), job_id=row.id)
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
        else:
            ui.notify(t('Job #{id} is queued again.', id=row.id), color='positive')
        await self.refresh()

    async def choose_status(self, status: str) -> None:
        self.status.set_value(status)  # its change handler reads the list again

    def _filters(self) -> dict[str, str | None]:
        return {'status': self.status.value or None, 'kind': self.kind.value or None,
                'search': self.search.value or ''}

    async def _read(self, count: int) -> tuple[list[JobRow], bool]:
        actor_id = await self.tab.actor_id()
        overview = await self.tab.desk.jobs.overview(actor_id=actor_id)
        rows: list[JobRow] = []
        more = True
        while more and len(rows) < count:
            result = await self.tab.desk.jobs.list(actor_id=actor_id, **self._filters(),
                                                   before_id=rows[-1].id if rows else None,
                                                   limit=min(READ_AT_MOST, count - len(rows)))
            rows += result.rows
            more = result.more
        if not self.is_deleted:
            self._show_overview(overview)
        return rows, more

    def _apply(self, rows: list[JobRow], more: bool) -> None:
        if self.is_deleted:
            return
        self.shown = rows
        sync_rows(self.list, self.views, rows, key=lambda row: row.id, build=lambda row: JobRowView(row, self.retry))
        self.empty.set_visibility(not rows)
        self.more.set_visibility(more)

    def _show_overview(self, overview: JobsOverview) -> None:
        self.kind.set_options({EVERY: t('All kinds'), **{kind: kind for kind in overview.kinds}})
        if self.kind.value not in self.kind.options:
            self.kind.set_value(EVERY)
        counts = {EVERY: sum(overview.counts.values()), **overview.counts}
        for status, chip in self.chips.items():
            selected = (self.status.value or EVERY) == status
            chip.set_text(f'{t(STATUS_NAMES.get(status, "All"))} · {counts.get(status, 0)}')
            chip.props(f'aria-pressed={str(selected).lower()}')
            if selected:
                chip.props(f'color={STATUS_COLORS.get(status, "grey-7")}', remove='outline')
            else:
                chip.props('outline', remove='color')

    def _chip(self, status: str) -> ui.chip:
        with self.counts:
            return ui.chip(on_click=lambda: self.choose_status(status)).props('clickable') \
                .mark(f'jobs-{status or "all"}')
