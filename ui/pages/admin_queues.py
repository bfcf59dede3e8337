"""/admin/queues: queues and their workflows; admins edit them, agents look, everyone else finds nothing."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.errors import DomainError, PermissionDenied

from ..components.not_found import refused
from ..components.queue_dialogs import workflow_dialog
from ..components.queue_list import QueueList
from ..components.workflow_editor import WorkflowEditor
from ..i18n import error_text, t
from ..tab import Tab


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/admin/queues'] = admin_queues


async def admin_queues(tab: Tab) -> None:
    try:
        view = await tab.desk.queues.overview(actor_id=tab.user.id if tab.user else None)
    except PermissionDenied as error:  # customers and visitors
        refused(tab, error)
        return
    ui.page_title(f'{t("Queues")} · Switchboard')
    with ui.row().classes('w-full items-baseline gap-2'):
        ui.label(t('Administration')).classes('text-h5 text-grey-7')
        ui.label('→').classes('text-h5 text-grey-7').props('aria-hidden=true')
        ui.label(t('Queues')).classes('text-h5').props('role=heading aria-level=1')
    if not view.editable:
        ui.label(t('You can look at queues and workflows; only admins change them.')) \
            .classes('text-body2 text-grey-7').mark('read-only')
    QueueList(tab, view.queues, editable=view.editable)

    async def new_workflow() -> None:
        if not await workflow_dialog(tab):
            return
        try:
            workflows = await tab.desk.queues.list_workflows(actor_id=await tab.actor_id())
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            return
        shown = set(editors)
        with workflow_column:
            for workflow in workflows:
                if workflow.id not in shown:
                    editors[workflow.id] = WorkflowEditor(tab, workflow, editable=view.editable)
        ui.notify(t('Workflow created: add its statuses and transitions below.'), color='positive')

    with ui.row().classes('w-full items-center mt-6'):
        ui.label(t('Workflows')).classes('text-h6').props('role=heading aria-level=2')
        ui.space()
        if view.editable:
            ui.button(t('New workflow'), icon='add', on_click=new_workflow).mark('new-workflow')
    editors: dict[int, WorkflowEditor] = {}
    with ui.column().classes('w-full gap-4') as workflow_column:
        for workflow in view.workflows:
            editors[workflow.id] = WorkflowEditor(tab, workflow, editable=view.editable)
