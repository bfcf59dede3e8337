"""One line of Admin → Jobs, updated in place: the job's state, its times, its last error, and "Retry" once failed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from domain.jobs.service import JobRow

from ..i18n import t
from ..when import Moment
from .icon_button import aria_label

GRID = ('grid grid-cols-[4rem_minmax(11rem,1fr)_6.5rem_5rem_9.5rem_9.5rem_9.5rem_minmax(10rem,2fr)_8rem] gap-2 '
        'items-center w-full')
HEADINGS = ('Id', 'Kind', 'Status', 'Attempts', 'Due', 'Next attempt', 'Finished', 'Last error', '')
STATUS_NAMES = {'pending': 'Pending', 'running': 'Running', 'done': 'Done', 'failed': 'Failed'}
STATUS_COLORS = {'pending': 'primary', 'running': 'orange-8', 'done': 'positive', 'failed': 'negative'}
NONE = '—'


def job_list_header() -> None:
    with ui.element('div').classes(GRID + ' px-2 text-caption text-grey-7').props('role=row'):
        for heading in HEADINGS:
            ui.label(t(heading) if heading else '').props('role=columnheader')


class JobRowView(ui.element):
    def __init__(self, row: JobRow, retry: Callable[[JobRow], Awaitable[None]]) -> None:
        super().__init__('div')
        self.classes(GRID + ' px-2 py-1 border-b border-grey-4').props('role=row').mark(f'job-{row.id}')
        self.row = row
        self.expanded = False
        with self:
            ui.label(f'#{row.id}').classes('text-grey-7').props('role=cell')
            with ui.column().classes('gap-0 min-w-0').props('role=cell'):
                self.kind = ui.label().classes('w-full truncate font-medium')
                self.key = ui.label().classes('w-full truncate text-caption text-grey-7')
            with ui.element('div').props('role=cell'):
                self.status = ui.badge().classes('text-sm px-2 py-1').mark(f'job-{row.id}-status')
            self.attempts = ui.label().props('role=cell')
            self.due = Moment(precise=True).props('role=cell')
            self.next = Moment(precise=True).props('role=cell')
            self.finished = Moment(precise=True).props('role=cell')
            with ui.element('div').classes('min-w-0').props('role=cell'):
                # A long error is cut to one line; a click (or Enter) opens all of it under the row, to read and copy.
                self.error = ui.label().classes('truncate cursor-pointer').mark(f'job-{row.id}-error') \
                    .props('tabindex=0 role=button')
                self.error.on('click', self.toggle_error)
                self.error.on('keydown.enter', self.toggle_error)
            with ui.element('div').props('role=cell'):
                self.retry = ui.button(t('Retry'), icon='replay', on_click=lambda: retry(self.row)) \
                    .props('flat dense no-caps no-wrap').mark(f'job-{row.id}-retry')
            self.full_error = ui.label().classes('col-span-full whitespace-pre-wrap break-words text-sm pb-1') \
                .props('role=cell')
        self._show(row)

    def update_row(self, row: JobRow) -> None:
        if row != self.row:
            self.row = row
            self._show(row)

    def toggle_error(self) -> None:
        self.expanded = not self.expanded
        self._show_error()

    def _show(self, row: JobRow) -> None:
        self.kind.set_text(row.kind)
        self.key.set_text(row.dedup_key or '')
        self.key.set_visibility(bool(row.dedup_key))
        self.status.set_text(t(STATUS_NAMES.get(row.status, row.status)))
        self.status.props(f'color={STATUS_COLORS.get(row.status, "grey-7")}')
        self.attempts.set_text(f'{row.attempts}/{row.max_attempts}')
        self.due.show(row.due_at)
        # A running job's next attempt time is its lease: when another worker may take it over.
        self.next.show(row.next_attempt_at if row.status in ('pending', 'running') else None)
        self.finished.show(row.finished_at)
        self.retry.set_visibility(row.status == 'failed')
        self.retry.props(aria_label(t('Retry job {id}', id=row.id)))
        self._show_error()

    def _show_error(self) -> None:
        error = self.row.last_error or ''
        self.error.set_text(error)
        self.error.set_visibility(bool(error))
        self.error.props['title'] = error  # the whole text on hover, set as a value: never parsed as props
        self.error.props['aria-expanded'] = str(self.expanded and bool(error)).lower()
        self.full_error.set_text(error)
        self.full_error.set_visibility(self.expanded and bool(error))
