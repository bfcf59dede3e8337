"""Renaming and deleting a workflow status; a status in use asks where its requests go before it is deleted."""

from __future__ import annotations

from nicegui import ui

from domain.errors import Conflict, DomainError
from domain.queues.service import StatusRow, WorkflowSummary

from ..i18n import error_text, t
from ..tab import Tab
from .field_errors import clear_errors, show_error
from .icon_button import aria_label
from .modal import answer


async def rename_status_dialog(tab: Tab, status: StatusRow) -> bool:
    title = t('Rename status "{name}"', name=status.name)

    async def save() -> None:
        clear_errors(fields)
        try:
            await tab.desk.queues.rename_status(actor_id=await tab.actor_id(), status_id=status.id,
                                                name=name.value or '')
        except DomainError as error:
            show_error(error, fields)
            return
        dialog.submit(True)

    with ui.dialog().props(aria_label(title)) as dialog, ui.card().classes('w-full max-w-md').mark('rename-dialog'):
        ui.label(title).classes('text-h6')
        name = ui.input(t('Status name'), value=status.name).props('counter maxlength=64 autofocus') \
            .classes('w-full')
        name.on('keydown.enter', save)
        fields = {'name': name}
        with ui.row().classes('w-full justify-end'):
            ui.button(t('Cancel'), on_click=dialog.close).props('flat')
            ui.button(t('Save'), on_click=save)
    return await answer(dialog)


async def delete_status_dialog(tab: Tab, workflow: WorkflowSummary, status: StatusRow) -> bool:
    """Ask, then delete; when the status is in use, show the refusal and offer to move its requests."""
    title = t('Delete status "{name}"?', name=status.name)
    others = [s for s in workflow.statuses if s.id != status.id]
    # A likely target: another status of the same kind, so open requests stay open and closed ones closed.
    suggested = next((s for s in others if s.kind == status.kind), others[0] if others else None)

    async def delete() -> None:
        clear_errors(fields)
        problem.set_visibility(False)
        try:
            moved = await tab.desk.queues.delete_status(actor_id=await tab.actor_id(), status_id=status.id,
                                                        move_to_status_id=target.value if target.visible else None)
        except DomainError as error:
            if error.field in fields:
                show_error(error, fields)
            else:
                problem.set_text(error_text(error))
                problem.set_visibility(True)
            if isinstance(error, Conflict) and 'count' in error.params:  # in use: offer the move
                target.set_visibility(True)
                confirm.set_text(t('Move and delete'))
            return
        if moved:
            ui.notify(t('{count} requests moved.', count=moved), color='positive')
        dialog.submit(True)

    with ui.dialog().props(aria_label(title)) as dialog, ui.card().classes('w-full max-w-md').mark('delete-dialog'):
        ui.label(title).classes('text-h6')
        ui.label(t('Its transitions are deleted with it.')).classes('text-body2')
        problem = ui.label().classes('text-negative').props('role=alert').mark('delete-problem')
        problem.set_visibility(False)
        target = ui.select({s.id: s.name for s in others}, label=t('Move requests to'),
                           value=suggested.id if suggested else None).classes('w-full').mark('move-to')
        target.set_visibility(False)
        fields = {'move_to': target}
        with ui.row().classes('w-full justify-end'):
            ui.button(t('Cancel'), on_click=dialog.close).props('flat')
            confirm = ui.button(t('Delete'), color='negative', on_click=delete).mark('confirm-delete')
    return await answer(dialog)
