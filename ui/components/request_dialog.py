"""The "New request" dialog: title, status, description; field errors stay on the field, nothing typed is lost."""

from __future__ import annotations

from nicegui import ui

from domain.errors import DomainError, NotSignedIn

from ..i18n import error_text, t
from ..tab import Tab


async def new_request_dialog(tab: Tab) -> ui.dialog:
    statuses = await tab.desk.requests.statuses()

    async def create() -> None:
        for field in (title, status, description):
            field.error = None
        try:
            request_id = await tab.desk.requests.create(actor_id=await tab.actor_id(), title=title.value or '',
                                                        description=description.value or '', status_id=status.value)
        except NotSignedIn as error:
            ui.notify(error_text(error), color='negative')
            return
        except DomainError as error:
            target = {'status': status, 'description': description}.get(error.field or '', title)
            target.error = error_text(error)
            return
        dialog.close()
        title.value = description.value = ''
        ui.notify(t('Request #{id} created.', id=request_id), color='positive')

    with ui.dialog().props(f'aria-label="{t("New request")}"') as dialog, ui.card().classes('w-full max-w-lg'):
        ui.label(t('New request')).classes('text-h6')
        title = ui.input(t('Title')).props('counter').classes('w-full')
        status = ui.select({s.id: t(s.name) for s in statuses}, value=statuses[0].id, label=t('Status')) \
            .classes('w-full')
        description = ui.textarea(t('Description')).props('counter autogrow').classes('w-full')
        with ui.row().classes('w-full justify-end'):
            ui.button(t('Cancel'), on_click=dialog.close).props('flat')
            ui.button(t('Create'), on_click=create)
    return dialog
