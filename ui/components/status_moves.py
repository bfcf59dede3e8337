"""Where each status of a workflow may move: chips on its row, and a dialog with one multi-select to change them.

It replaced a status x status grid of checkboxes, whose N² elements froze the process for a large workflow
(300 statuses: 42 s). Chips cost one element per allowed move, and the dialog's N options exist only while open.
"""

from __future__ import annotations

from nicegui import ui

from domain.errors import DomainError
from domain.queues.service import StatusRow, WorkflowSummary

from ..i18n import t
from ..tab import Tab
from .field_errors import clear_errors, show_error
from .icon_button import aria_label
from .modal import answer

Moves = dict[int, list[StatusRow]]  # status id -> the statuses it may move to, in workflow order


def moves_by_status(workflow: WorkflowSummary) -> Moves:
    """Each status's targets, grouped in one pass over the transitions (not a scan of every status per status)."""
    by_id = {status.id: status for status in workflow.statuses}
    position = {status.id: index for index, status in enumerate(workflow.statuses)}
    moves: Moves = {}
    for source, target in sorted(workflow.transitions, key=lambda pair: position.get(pair[1], 0)):
        if target in by_id:
            moves.setdefault(source, []).append(by_id[target])
    return moves


def moves_line(status: StatusRow, targets: list[StatusRow]) -> None:
    """'Can move to:' and a chip per target status."""
    with ui.row().classes('items-center gap-1 mt-1').mark(f'moves-of-{status.id}'):
        ui.label(t('Can move to:')).classes('text-caption text-grey-7')
        for target in targets:
            ui.chip(target.name, color=None).props('dense square outline').classes('text-caption m-0') \
                .mark(f'transition-{status.id}-{target.id}')
        if not targets:
            ui.label(t('nowhere')).classes('text-caption text-grey-7 italic')


async def moves_dialog(tab: Tab, workflow: WorkflowSummary, status: StatusRow) -> bool:
    """Choose the statuses `status` may move to; the other statuses' moves stay as stored."""
    title = t('Where can "{name}" move?', name=status.name)
    current = [target.id for target in moves_by_status(workflow).get(status.id, [])]

    async def save() -> None:
        clear_errors(fields)
        try:
            actor_id = await tab.actor_id()
            # Read the moves again: another admin may have changed other statuses' since this page was built.
            stored = await tab.desk.queues.workflow(actor_id=actor_id, workflow_id=workflow.id)
            pairs = {pair for pair in stored.transitions if pair[0] != status.id}
            pairs |= {(status.id, target) for target in targets.value or []}
            await tab.desk.queues.set_transitions(actor_id=actor_id, workflow_id=workflow.id, transitions=pairs)
        except DomainError as error:
            show_error(error, fields)
            return
        dialog.submit(True)

    with ui.dialog().props(aria_label(title)) as dialog, ui.card().classes('w-full max-w-md').mark('moves-dialog'):
        ui.label(title).classes('text-h6')
        targets = ui.select({s.id: s.name for s in workflow.statuses if s.id != status.id}, multiple=True,
                            value=current, label=t('Can move to')) \
            .props('use-chips autofocus').classes('w-full').mark(f'moves-{status.id}')
        fields = {'transitions': targets}
        with ui.row().classes('w-full justify-end'):
            ui.button(t('Cancel'), on_click=dialog.close).props('flat')
            ui.button(t('Save'), on_click=save)
    return await answer(dialog)
