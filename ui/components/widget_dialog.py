"""Admin → Widgets: the dialog that creates or edits a widget."""

from __future__ import annotations

from nicegui import ui

from domain.errors import DomainError
from domain.widgets.checks import FIELD_MODES, NAME_MAX, TEXT_MAX, WidgetDraft
from storage.queue_admin import QueueSummary
from storage.widgets import WidgetRow

from ..i18n import t
from ..tab import Tab
from .field_errors import clear_errors, show_error
from .icon_button import aria_label
from .modal import answer

Saved = tuple[WidgetRow, str | None]  # the widget, and its secret when it was just made


def mode_names() -> dict[str, str]:
    """The words for domain.widgets.checks.FIELD_MODES."""
    names = {'off': t('Not asked'), 'optional': t('Optional'), 'required': t('Required')}
    return {mode: names[mode] for mode in FIELD_MODES}


async def widget_dialog(tab: Tab, queues: list[QueueSummary], widget: WidgetRow | None = None) -> Saved | None:
    """Create a widget, or edit `widget`; the saved widget (and a new one's secret), or None when cancelled."""
    title = t('New widget') if widget is None else t('Edit widget "{name}"', name=widget.name)
    private = {queue.id: queue.name for queue in queues if queue.visibility == 'private'}
    saved: list[Saved] = []

    async def save() -> None:
        clear_errors(fields)
        draft = WidgetDraft(name=name.value or '', queue_id=queue.value or 0,
                            origins=tuple(line for line in (origins.value or '').splitlines() if line.strip()),
                            greeting=greeting.value or '', accent=accent.value or '',
                            name_field=name_field.value or 'off', email_field=email_field.value or 'off',
                            offline_message=offline.value or '')
        try:
            actor_id = await tab.actor_id()
            if widget is None:
                saved.append(await tab.desk.widgets.create(actor_id=actor_id, draft=draft))
            else:
                saved.append((await tab.desk.widgets.change(actor_id=actor_id, widget_id=widget.id, draft=draft),
                              None))
        except DomainError as error:
            show_error(error, fields)
            return
        ui.notify(t('Widget "{name}" saved.', name=saved[0][0].name), color='positive')
        dialog.submit(True)

    with ui.dialog().props(aria_label(title)) as dialog, ui.card().classes('w-full max-w-lg').mark('widget-dialog'):
        ui.label(title).classes('text-h6')
        name = ui.input(t('Name'), value=widget.name if widget else '') \
            .props(f'counter maxlength={NAME_MAX} autofocus').classes('w-full')
        greeting = ui.textarea(t('Greeting'), value=widget.greeting if widget else t('Hi! How can we help?')) \
            .props(f'autogrow counter maxlength={TEXT_MAX}').classes('w-full')
        with ui.row().classes('w-full items-start no-wrap gap-4'):
            accent = ui.color_input(t('Accent colour'), value=widget.accent if widget else '#1976d2') \
                .classes('w-40')
            queue = ui.select(private, label=t('Queue'),
                              value=widget.queue_id if widget else next(iter(private), None)).classes('grow')
        origins = ui.textarea(t('Websites allowed to embed it, one a line'),
                              value='\n'.join(widget.origins) if widget else '',
                              placeholder='https://shop.example.com').props('autogrow').classes('w-full') \
            .tooltip(t('Exactly scheme://host[:port], as https://shop.example.com, with no path.'))
        with ui.row().classes('w-full no-wrap gap-4'):
            name_field = ui.select(mode_names(), label=t("Visitor's name"),
                                   value=widget.name_field if widget else 'off').classes('grow')
            email_field = ui.select(mode_names(), label=t("Visitor's email"),
                                    value=widget.email_field if widget else 'off').classes('grow')
        offline = ui.textarea(t('Offline message'), value=widget.offline_message if widget else '') \
            .props(f'autogrow counter maxlength={TEXT_MAX}').classes('w-full')
        fields = {'name': name, 'greeting': greeting, 'accent': accent, 'queue_id': queue, 'origins': origins,
                  'name_field': name_field, 'email_field': email_field, 'offline_message': offline}
        with ui.row().classes('w-full justify-end'):
            ui.button(t('Cancel'), on_click=dialog.close).props('flat')
            ui.button(t('Create') if widget is None else t('Save'), on_click=save)
    return saved[0] if await answer(dialog) and saved else None

