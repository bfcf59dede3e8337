"""One workflow on Admin → Queues: its ordered statuses, where each may move, and "Add status".

The card is rebuilt from the service after each change: a workflow has at most 30 statuses (STATUS_MAX), and each
costs a row plus a chip per allowed move, so a rebuild is cheap and always shows what another admin changed meanwhile.
One stored before that limit shows its statuses a page of STATUS_MAX at a time, so it opens as quickly.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable

from nicegui import ui

from domain.errors import DomainError, NotFound
from domain.queues.checks import STATUS_MAX
from domain.queues.service import KINDS, StatusRow, WorkflowSummary

from ..i18n import error_text, t
from ..tab import Tab
from .field_errors import clear_errors, show_error
from .icon_button import aria_label, icon_button
from .queue_dialogs import kind_label
from .status_chip import COLORS
from .status_dialogs import delete_status_dialog, rename_status_dialog
from .status_moves import moves_by_status, moves_dialog, moves_line


class WorkflowEditor(ui.card):
    def __init__(self, tab: Tab, workflow: WorkflowSummary, *, editable: bool) -> None:
        super().__init__()
        self.classes('w-full gap-2').mark(f'workflow-{workflow.id}')
        self.tab = tab
        self.editable = editable
        self.workflow = workflow
        self.page = 1  # of the statuses, for a workflow stored with more than STATUS_MAX
        self.show(workflow)

    def show(self, workflow: WorkflowSummary) -> None:
        self.workflow = workflow
        self.clear()
        with self:
            ui.label(workflow.name).classes('text-h6').props('role=heading aria-level=3')
            ui.label(t('New requests start in the first status.')).classes('text-caption text-grey-7')
            moves = moves_by_status(workflow)
            pages = max(1, math.ceil(len(workflow.statuses) / STATUS_MAX))
            self.page = min(self.page, pages)
            start = (self.page - 1) * STATUS_MAX
            with ui.list().props('bordered separator dense').classes('w-full rounded-borders'):
                for index, status in enumerate(workflow.statuses[start:start + STATUS_MAX], start):
                    self._status_line(index, status, moves.get(status.id, []))
            if pages > 1:
                self._pages(pages)
            if self.editable:
                self._add_status_row()

    def _pages(self, pages: int) -> None:
        with ui.row().classes('w-full items-center gap-2').mark(f'status-pages-{self.workflow.id}'):
            ui.label(t('{count} statuses, more than the {max} a workflow may have now.',
                       count=len(self.workflow.statuses), max=STATUS_MAX)).classes('text-caption text-grey-7')
            ui.pagination(1, pages, direction_links=True, value=self.page, on_change=lambda e: self._turn(e.value)) \
                .props(f'dense {aria_label(t("Statuses, page"))}')

    def _turn(self, page: int) -> None:
        self.page = page
        self.show(self.workflow)

    async def reload(self) -> None:
        try:
            workflow = await self.tab.desk.queues.workflow(actor_id=await self.tab.actor_id(),
                                                           workflow_id=self.workflow.id)
        except NotFound:
            self.delete()
            return
        except DomainError as error:  # signed out in another tab, say
            ui.notify(error_text(error), color='negative')
            return
        if not self.is_deleted:
            self.show(workflow)

    def _status_line(self, index: int, status: StatusRow, targets: list[StatusRow]) -> None:
        last = len(self.workflow.statuses) - 1
        with ui.item().classes('w-full').mark(f'status-{status.id}'):
            with ui.item_section().props('avatar'):
                ui.label(str(index + 1)).classes('text-grey-7')
            with ui.item_section():
                with ui.row().classes('items-center gap-2'):  # the kind beside the name: the side is for buttons
                    ui.item_label(status.name).classes('font-medium')
                    ui.badge(kind_label(status.kind), color=COLORS.get(status.kind, 'primary'))
                if t(status.name) != status.name:  # how people see it in this language
                    ui.item_label(t('Shown as "{name}"', name=t(status.name))).props('caption')
                moves_line(status, targets)
            if self.editable:
                with ui.item_section().props('side'):
                    # Two rows of buttons on a phone, where one row left the status's own lines a third of it.
                    with ui.row().classes('items-center justify-end gap-1 max-w-[6.5rem] sm:max-w-none sm:no-wrap'):
                        self._status_buttons(index, status, last)

    def _status_buttons(self, index: int, status: StatusRow, last: int) -> None:
        name = status.name
        icon_button('edit', label=t('Rename status {name}', name=name), tooltip=t('Rename'),
                    on_click=lambda: self._rename(status)).mark(f'rename-{status.id}')
        icon_button('alt_route', label=t('Change where {name} can move', name=name), tooltip=t('Moves'),
                    on_click=lambda: self._change_moves(status)).mark(f'edit-moves-{status.id}')
        up = icon_button('arrow_upward', label=t('Move {name} up', name=name), tooltip=t('Move up'),
                         on_click=lambda: self._move(index, -1)).mark(f'up-{status.id}')
        down = icon_button('arrow_downward', label=t('Move {name} down', name=name), tooltip=t('Move down'),
                           on_click=lambda: self._move(index, 1)).mark(f'down-{status.id}')
        up.set_enabled(index > 0)
        down.set_enabled(index < last)
        icon_button('delete', label=t('Delete status {name}', name=name), tooltip=t('Delete'),
                    on_click=lambda: self._delete(status)).props('color=negative').mark(f'delete-{status.id}')

    def _add_status_row(self) -> None:
        async def add() -> None:
            clear_errors(fields)
            try:
                await self.tab.desk.queues.add_status(actor_id=await self.tab.actor_id(), workflow_id=self.workflow.id,
                                                      name=name.value or '', kind=kind.value or '')
            except DomainError as error:
                show_error(error, fields)
                return
            await self.reload()

        with ui.row().classes('w-full items-start gap-2').mark(f'add-status-{self.workflow.id}'):
            name = ui.input(t('Status name')).props('dense counter maxlength=64').classes('w-56')
            name.on('keydown.enter', add)
            kind = ui.select({k: kind_label(k) for k in KINDS}, label=t('Kind'), value='active') \
                .props('dense').classes('w-36')
            ui.button(t('Add status'), icon='add', on_click=add).props('outline').classes('mt-2')
        fields = {'name': name, 'kind': kind}

    async def _rename(self, status: StatusRow) -> None:
        if await rename_status_dialog(self.tab, status):
            await self.reload()

    async def _change_moves(self, status: StatusRow) -> None:
        if await moves_dialog(self.tab, self.workflow, status):
            await self.reload()

    async def _delete(self, status: StatusRow) -> None:
        if await delete_status_dialog(self.tab, self.workflow, status):
            await self.reload()

    async def _move(self, index: int, offset: int) -> None:
        order = [s.id for s in self.workflow.statuses]
        order[index], order[index + offset] = order[index + offset], order[index]
        await self._call(self.tab.desk.queues.reorder_statuses, workflow_id=self.workflow.id, status_ids=order)
        await self.reload()

    async def _call(self, method: Callable[..., Awaitable[None]], **values: object) -> bool:
        try:
            await method(actor_id=await self.tab.actor_id(), **values)
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            return False
        return True
