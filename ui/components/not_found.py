"""The "not found" notice for unknown pages and requests one may not see."""

from nicegui import ui

from ..i18n import t


def not_found(message: str | None = None) -> None:
    with ui.column().classes('items-start gap-2 mt-8').mark('not-found'):
        ui.label(t('Not found')).classes('text-h5').props('role=heading aria-level=1')
        ui.label(message or t('This page does not exist.'))
        ui.link(t('Back to requests'), '/requests')
