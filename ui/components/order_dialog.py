"""The "New order" dialog: title, line items with a running total, the queue's other fields; nothing typed is lost."""

from __future__ import annotations

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from domain.errors import DomainError, NotSignedIn
from domain.orders.service import OrderForm

from ..i18n import error_text, t
from ..tab import Tab
from .order_items import ItemsEditor


def new_order_dialog(tab: Tab, form: OrderForm) -> ui.dialog:
    inputs: dict[str, ValidationElement] = {}
    editors: dict[str, ItemsEditor] = {}

    async def place() -> None:
        for element in inputs.values():
            element.error = None
        for editor in editors.values():
            editor.clear_errors()
        values = {key: element.value for key, element in inputs.items() if key != 'title'}
        values |= {key: editor.values() for key, editor in editors.items()}
        try:
            order_id = await tab.desk.orders.create(actor_id=await tab.actor_id(), title=inputs['title'].value or '',
                                                    values=values)
        except NotSignedIn as error:
            ui.notify(error_text(error), color='negative')
            return
        except DomainError as error:
            if error.field in editors:
                editors[error.field].show(error)
            elif error.field in inputs:
                inputs[error.field].error = error_text(error)
            else:
                ui.notify(error_text(error), color='negative')
            return
        dialog.close()
        for element in inputs.values():
            element.value = ''
        for editor in editors.values():
            editor.reset()
        ui.notify(t('Order #{id} placed.', id=order_id), color='positive')

    with ui.dialog().props(f'aria-label="{t("New order")}"') as dialog, \
            ui.card().classes('w-full max-w-2xl').mark('order-dialog'):
        ui.label(t('New order')).classes('text-h6')
        inputs['title'] = ui.input(t('Title')).props('counter').classes('w-full')
        for field in form.fields:
            label = t(field.label) if field.required else t('{label} (optional)', label=t(field.label))
            if field.kind == 'items':
                editors[field.key] = ItemsEditor(label, field.currency)
            elif field.kind == 'text':
                inputs[field.key] = ui.textarea(label).props('autogrow counter').classes('w-full')
            else:
                suffix = f' suffix={field.currency}' if field.kind == 'money' else ''
                inputs[field.key] = ui.input(label).props(f'inputmode=decimal{suffix}').classes('w-48')
        with ui.row().classes('w-full justify-end'):
            ui.button(t('Cancel'), on_click=dialog.close).props('flat')
            ui.button(t('Place order'), on_click=place)
    return dialog
