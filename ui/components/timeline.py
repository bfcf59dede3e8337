"""A ticket's timeline: every event in order, with who and when, read again after each change."""

from __future__ import annotations

from nicegui import ui

from domain.views import EventRow

from ..i18n import t, when


def describe(event: EventRow) -> str:
    data = event.data
    match event.kind:
        case 'request.created':
            return t('{who} opened the ticket', who=event.actor)
        case 'status.changed':
            return t('{who} changed the status from {old} to {new}', who=event.actor,
                     old=t(str(data.get('from'))), new=t(str(data.get('to'))))
        case 'assigned' if data.get('to') and data.get('from'):
            return t('{who} reassigned it from {old} to {new}', who=event.actor, old=data['from'], new=data['to'])
        case 'assigned' if data.get('to'):
            return t('{who} assigned it to {new}', who=event.actor, new=data['to'])
        case 'assigned':
            return t('{who} unassigned it', who=event.actor)
        case 'note.added':
            return t('{who} added an internal note', who=event.actor)
        case 'message.posted':
            return t('{who} wrote a message', who=event.actor)
        case 'file.attached':
            return t('{who} attached {name}', who=event.actor, name=str(data.get('name', '')))
        case _:
            return f'{event.actor}: {event.kind}'


class Timeline(ui.column):
    def __init__(self) -> None:
        super().__init__()
        self.classes('w-full gap-0').mark('timeline')
        self.last_id = 0
        with self:
            ui.label(t('Timeline')).classes('text-subtitle1').props('role=heading aria-level=2')
            self.items = ui.column().classes('w-full gap-1')

    def append(self, events: list[EventRow]) -> None:
        with self.items:
            for event in events:
                if event.id > self.last_id:
                    with ui.row().classes('w-full no-wrap gap-2 text-caption'):
                        ui.label(when(event.created_at)).classes('text-grey-7 shrink-0')
                        ui.label(describe(event))
                    self.last_id = event.id
