"""An endpoint's delivery log, newest first: each delivery's status, answer, time, attempts, error, and "Resend"."""

from __future__ import annotations

from nicegui import ui

from domain.errors import DomainError
from domain.webhooks.service import DeliveryRow, EndpointRow

from ..i18n import error_text, t
from ..tab import Tab
from .icon_button import icon_button
from .job_row import moment

PAGE = 50
GRID = 'grid grid-cols-[10rem_9rem_6rem_4rem_5rem_4.5rem_minmax(10rem,1fr)_7rem] gap-2 items-center w-full'
HEADINGS = ('Time', 'Event', 'Status', 'Code', 'Time (ms)', 'Attempts', 'Error', '')
STATUS_NAMES = {'pending': 'Pending', 'retrying': 'Retrying', 'delivered': 'Delivered', 'failed': 'Failed'}
STATUS_COLORS = {'pending': 'primary', 'retrying': 'orange-8', 'delivered': 'positive', 'failed': 'negative'}
NONE = '—'


class DeliveryLog(ui.column):
    def __init__(self, tab: Tab, endpoint: EndpointRow) -> None:
        super().__init__()
        self.classes('w-full gap-1').mark('delivery-log')
        self.tab = tab
        self.endpoint = endpoint
        self.shown: list[DeliveryRow] = []
        with self:
            with ui.row().classes('w-full items-center gap-2'):
                ui.label(t('Delivery log of #{id}', id=endpoint.id)).classes('text-h6') \
                    .props('role=heading aria-level=2')
                ui.space()
                icon_button('refresh', label=t('Refresh'), tooltip=t('Refresh'), on_click=self.reload) \
                    .mark('deliveries-refresh')
            with ui.element('div').classes('w-full overflow-x-auto'):
                with ui.element('div').classes('min-w-[60rem]').props(f'role=table aria-label="{t("Delivery log")}"'):
                    with ui.element('div').classes(GRID + ' px-2 text-caption text-grey-7').props('role=row'):
                        for heading in HEADINGS:
                            ui.label(t(heading) if heading else '').props('role=columnheader')
                    self.rows = ui.column().classes('w-full gap-0').props('role=rowgroup')
            self.empty = ui.label(t('Nothing was delivered yet.')).classes('text-grey-7 p-2')
            self.more = ui.button(t('Load more'), on_click=self.load_more).props('flat').mark('deliveries-more')

    async def reload(self) -> None:
        self.shown = []
        self.rows.clear()
        await self.load_more()

    async def load_more(self) -> None:
        try:
            found = await self.tab.desk.webhooks.deliveries(
                actor_id=await self.tab.actor_id(), endpoint_id=self.endpoint.id,
                before_id=self.shown[-1].id if self.shown else None, limit=PAGE)
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            return
        with self.rows:
            for row in found.rows:
                self._row(row)
        self.shown += found.rows
        self.empty.set_visibility(not self.shown)
        self.more.set_visibility(found.more)

    async def resend(self, row: DeliveryRow) -> None:
        try:
            await self.tab.desk.webhooks.resend(actor_id=await self.tab.actor_id(), endpoint_id=self.endpoint.id,
                                                delivery_id=row.id)
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            return
        ui.notify(t('Delivery {id} is queued again.', id=row.uid), color='positive')
        await self.reload()

    def _row(self, row: DeliveryRow) -> None:
        with ui.element('div').classes(GRID + ' px-2 py-1 border-b border-grey-4').props('role=row') \
                .mark(f'delivery-{row.id}'):
            with ui.column().classes('gap-0').props('role=cell'):
                ui.label(moment(row.attempted_at or row.created_at))
                ui.label(row.uid[:8]).classes('text-caption text-grey-7 font-mono').tooltip(row.uid)
            ui.label(row.kind).props('role=cell')
            with ui.element('div').props('role=cell'):
                ui.badge(t(STATUS_NAMES.get(row.status, row.status)), color=STATUS_COLORS.get(row.status, 'grey-7')) \
                    .classes('text-sm px-2 py-1').mark(f'delivery-{row.id}-status')
            ui.label(str(row.response_code) if row.response_code is not None else NONE).props('role=cell')
            ui.label(str(row.response_ms) if row.response_ms is not None else NONE).props('role=cell')
            ui.label(str(row.attempts)).props('role=cell')
            ui.label(row.error or NONE).classes('break-words text-sm').props('role=cell') \
                .mark(f'delivery-{row.id}-error')
            with ui.element('div').props('role=cell'):
                ui.button(t('Resend'), icon='send', on_click=lambda: self.resend(row)) \
                    .props('flat dense no-caps no-wrap').mark(f'delivery-{row.id}-resend') \
                    .set_visibility(row.status in ('delivered', 'failed'))
