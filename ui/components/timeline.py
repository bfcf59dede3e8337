"""A ticket's timeline: every event in order, with who and when, read again after each change."""

from __future__ import annotations

from nicegui import ui

from domain.requests.views import EventRow

from ..i18n import t
from ..when import Moment


def describe(event: EventRow) -> str:
    data = event.data
    who = _who(event)
    match event.kind:
        case 'request.created':
            return t('{who} opened the ticket', who=who)
        case 'status.changed':
            return t('{who} changed the status from {old} to {new}', who=who,
                     old=t(str(data.get('from'))), new=t(str(data.get('to'))))
        case 'assigned' if data.get('to') and event.actor_id is not None and data.get('to_id') == event.actor_id:
            return t('{who} took it over from {old}', who=who, old=data['from']) if data.get('from') \
                else t('{who} took it', who=who)
        case 'assigned' if data.get('to') and data.get('from'):
            return t('{who} reassigned it from {old} to {new}', who=who, old=data['from'], new=data['to'])
        case 'assigned' if data.get('to'):
            return t('{who} assigned it to {new}', who=who, new=data['to'])
        case 'assigned':
            return t('{who} unassigned it', who=who)
        case 'note.added':
            return t('{who} added an internal note', who=who)
        case 'message.posted':
            return t('{who} wrote a message', who=who)
        case 'ticket.merged':  # a widget visitor signed in while both they and their account had one open
            return t('{who} signed in: the messages moved to ticket #{id}', who=who, id=data.get('into', '?'))
        case 'file.attached':
            return t('{who} attached {name}', who=who, name=str(data.get('name', '')))
        case 'rule.fired':
            done = [_action(action) for action in data.get('actions') or [] if isinstance(action, dict)]
            return t('Rule "{name}" ran: {actions}', name=str(data.get('rule', '')),
                     actions='; '.join(done) or t('nothing to do'))
        case 'rule.failed':
            reason = t(str(data['error']), **dict(data.get('params') or {})) if data.get('error') \
                else t('an unexpected error (see the server log)')
            return t('Rule "{name}" failed: {reason}', name=str(data.get('rule', '')), reason=reason)
        case _:
            return f'{who}: {event.kind}'


def _who(event: EventRow) -> str:
    """Who acted: a person, or for the system's own actions the rule that made them."""
    if event.actor:
        return event.actor
    rule = event.data.get('rule')
    return t('Rule "{name}"', name=str(rule)) if rule else t('Automation')


def _action(action: dict[str, object]) -> str:
    match action.get('type'):
        case 'assign':
            return t('assigned to {name}', name=str(action.get('to', '')))
        case 'set_status':
            return t('status set to {status}', status=t(str(action.get('to', ''))))
        case 'note':
            return t('internal note added')
        case 'email' if action.get('skipped') and action.get('to') == 'author':
            return t('no email address for the author')
        case 'email' if action.get('skipped'):
            return t('no email address for the assignee')
        case 'email':
            return t('email to {address} queued', address=str(action.get('to', '')))
        case 'slack':
            return t('Slack message queued')
    return str(action.get('type', ''))


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
                        Moment(event.created_at).classes('text-grey-7 shrink-0')
                        ui.label(describe(event))
                    self.last_id = event.id
