"""The queues on Admin → Queues: name, visibility and workflow, with "New queue" and edit for admins."""

from __future__ import annotations

from nicegui import ui

from domain.errors import DomainError
from domain.queues.service import QueueSummary

from ..i18n import error_text, t
from ..tab import Tab
from .icon_button import icon_button
from .queue_dialogs import queue_dialog, visibility_label


class QueueList(ui.column):
    def __init__(self, tab: Tab, queues: list[QueueSummary], *, editable: bool) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.editable = editable
        with self:
            with ui.row().classes('w-full items-center'):
                ui.label(t('Queues')).classes('text-h6').props('role=heading aria-level=2')
                ui.space()
                if editable:
                    ui.button(t('New queue'), icon='add', on_click=lambda: self.edit(None)).mark('new-queue')
            self.list = ui.list().props('bordered separator').classes('w-full rounded-borders').mark('queue-list')
        self.show(queues)

    def show(self, queues: list[QueueSummary]) -> None:
        """Redraw the rows: there are a few dozen queues at most, and the list is capped by the service."""
        self.list.clear()
        with self.list:
            for queue in queues:
                self._row(queue)

    def _row(self, queue: QueueSummary) -> None:
        with ui.item().mark(f'queue-{queue.id}'):
            with ui.item_section():
                ui.item_label(queue.name).classes('font-medium')
            with ui.item_section().props('side'):
                with ui.row().classes('items-center gap-3 no-wrap'):
                    icon = 'public' if queue.visibility == 'public' else 'lock'
                    with ui.row().classes('items-center gap-1 no-wrap'):
                        ui.icon(icon, size='xs').props('aria-hidden=true')
                        ui.label(visibility_label(queue.visibility))
                    ui.label(t('Workflow: {name}', name=queue.workflow)).classes('text-grey-7')
                    if self.editable:
                        icon_button('edit', label=t('Edit queue {name}', name=queue.name), tooltip=t('Edit'),
                                    on_click=lambda: self.edit(queue)).mark(f'edit-queue-{queue.id}')

    async def edit(self, queue: QueueSummary | None) -> None:
        """Open the queue dialog (a new queue for None); redraw after a save."""
        try:
            actor_id = await self.tab.actor_id()
            workflows = await self.tab.desk.queues.list_workflows(actor_id=actor_id)
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            return
        if await queue_dialog(self.tab, workflows, queue):
            await self.reload()

    async def reload(self) -> None:
        try:
            queues = await self.tab.desk.queues.list_queues(actor_id=await self.tab.actor_id())
        except DomainError as error:  # signed out in another tab, say
            ui.notify(error_text(error), color='negative')
            return
        if not self.is_deleted:
            self.show(queues)
