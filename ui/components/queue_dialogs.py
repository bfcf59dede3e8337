"""Dialogs of Admin → Queues for a queue (new or edit) and a new workflow; each returns whether it saved."""

from __future__ import annotations

from nicegui import ui

from domain.errors import DomainError
from domain.queues.service import KINDS, VISIBILITIES, QueueSummary, WorkflowSummary

from ..i18n import t
from ..tab import Tab
from .field_errors import clear_errors, show_error
from .icon_button import aria_label
from .modal import answer


def visibility_label(visibility: str) -> str:
    return {'public': t('Public board'), 'private': t('Private desk')}.get(visibility, visibility)


def kind_label(kind: str) -> str:
    return {'open': t('open'), 'active': t('active'), 'closed': t('closed')}.get(kind, kind)


async def queue_dialog(tab: Tab, workflows: list[WorkflowSummary], queue: QueueSummary | None = None) -> bool:
    """Create a queue, or edit `queue`."""
    title = t('New queue') if queue is None else t('Edit queue "{name}"', name=queue.name)

    async def save() -> None:
        clear_errors(fields)
        try:
            actor_id = await tab.actor_id()
            values = {'name': name.value or '', 'visibility': visibility.value or '', 'workflow_id': workflow.value}
            if queue is None:
                await tab.desk.queues.create_queue(actor_id=actor_id, **values)
            else:
                await tab.desk.queues.update_queue(actor_id=actor_id, queue_id=queue.id, **values)
        except DomainError as error:
            show_error(error, fields)
            return
        ui.notify(t('Queue "{name}" saved.', name=(name.value or '').strip()), color='positive')
        dialog.submit(True)

    with ui.dialog().props(aria_label(title)) as dialog, ui.card().classes('w-full max-w-md').mark('queue-dialog'):
        ui.label(title).classes('text-h6')
        name = ui.input(t('Name'), value=queue.name if queue else '').props('counter maxlength=64 autofocus') \
            .classes('w-full')
        visibility = ui.select({v: visibility_label(v) for v in VISIBILITIES}, label=t('Visibility'),
                               value=queue.visibility if queue else 'private').classes('w-full')
        workflow = ui.select({w.id: w.name for w in workflows}, label=t('Workflow'),
                             value=queue.workflow_id if queue else (workflows[0].id if workflows else None)) \
            .classes('w-full')
        fields = {'name': name, 'visibility': visibility, 'workflow': workflow}
        with ui.row().classes('w-full justify-end'):
            ui.button(t('Cancel'), on_click=dialog.close).props('flat')
            ui.button(t('Create') if queue is None else t('Save'), on_click=save)
    return await answer(dialog)


async def workflow_dialog(tab: Tab) -> bool:
    """Create a workflow with its first status; more statuses and transitions follow in its editor."""

    async def save() -> None:
        clear_errors(fields)
        try:
            await tab.desk.queues.create_workflow(actor_id=await tab.actor_id(), name=name.value or '',
                                                  statuses=[(status.value or '', kind.value or '')])
        except DomainError as error:
            show_error(error, fields)
            return
        dialog.submit(True)

    with ui.dialog().props(aria_label(t('New workflow'))) as dialog, \
            ui.card().classes('w-full max-w-md').mark('workflow-dialog'):
        ui.label(t('New workflow')).classes('text-h6')
        name = ui.input(t('Name')).props('counter maxlength=64 autofocus').classes('w-full')
        status = ui.input(t('Status name'), value=t('Open')).props('counter maxlength=64').classes('w-full')
        kind = ui.select({k: kind_label(k) for k in KINDS}, label=t('Kind'), value='open').classes('w-full')
        fields = {'name': name, 'status': status, 'kind': kind}
        with ui.row().classes('w-full justify-end'):
            ui.button(t('Cancel'), on_click=dialog.close).props('flat')
            ui.button(t('Create'), on_click=save)
    return await answer(dialog)
