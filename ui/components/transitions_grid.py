"""A workflow's allowed transitions as a grid of checkboxes: a row per "from" status, a column per "to" status."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from domain.queues import WorkflowSummary

from ..i18n import t
from .icon_button import aria_label

Pairs = set[tuple[int, int]]


def transitions_grid(workflow: WorkflowSummary, *, editable: bool,
                     on_change: Callable[[Pairs], Awaitable[None]]) -> dict[tuple[int, int], ui.checkbox]:
    """Build the grid; each change hands the whole set of ticked pairs to `on_change`."""
    boxes: dict[tuple[int, int], ui.checkbox] = {}

    async def changed() -> None:
        await on_change({pair for pair, box in boxes.items() if box.value})

    statuses = workflow.statuses
    ui.label(t('Allowed transitions')).classes('text-subtitle2 mt-2').props('role=heading aria-level=4')
    with ui.element('div').classes('w-full overflow-x-auto'):
        with ui.element('table').classes('text-body2').props(aria_label(t('Allowed transitions'))) \
                .mark(f'transitions-{workflow.id}'):
            with ui.element('thead'), ui.element('tr'):
                with ui.element('th').classes('text-left text-caption text-grey-7 pr-4'):
                    ui.label(t('from → to'))
                for target in statuses:
                    with ui.element('th').props('scope=col').classes('px-3 pb-1 font-medium'):
                        ui.label(target.name)
            with ui.element('tbody'):
                for source in statuses:
                    with ui.element('tr'):
                        with ui.element('th').props('scope=row').classes('text-left pr-4 font-medium'):
                            ui.label(source.name)
                        for target in statuses:
                            with ui.element('td').classes('text-center px-3'):
                                if source.id == target.id:
                                    ui.label('—').classes('text-grey-5').props('aria-hidden=true')
                                    continue
                                box = ui.checkbox(value=(source.id, target.id) in workflow.transitions) \
                                    .props(f'dense {aria_label(f"{source.name} → {target.name}")}') \
                                    .mark(f'transition-{source.id}-{target.id}')
                                if editable:
                                    box.on_value_change(changed)
                                else:
                                    box.disable()
                                boxes[(source.id, target.id)] = box
    return boxes
