"""One line of Admin → Audit log: when, who, what in words, on which request, from where, and what it changed."""

from __future__ import annotations

from nicegui import ui

from domain.audit import AuditEntry

from ..i18n import t
from ..when import Moment

GRID = 'grid grid-cols-[10.5rem_minmax(7rem,1fr)_11rem_minmax(8rem,1.5fr)_5.5rem_minmax(10rem,2fr)] gap-2 w-full'
HEADINGS = ('Time', 'Who', 'Action', 'Request', 'Channel', 'Change')
# Every kind of event the services write, in words; a kind added later shows as it is stored until it is named here.
ACTIONS = {
    'request.created': 'Request created',
    'message.posted': 'Message posted',
    'note.added': 'Internal note added',
    'status.changed': 'Status changed',
    'assigned': 'Assignee changed',
    'file.attached': 'File attached',
    'user.registered': 'Account registered',
    'user.created': 'User created',
    'user.role_changed': 'Role changed',
    'user.activated': 'User reactivated',
    'user.deactivated': 'User deactivated',
    'identity.linked': 'Sign-in account linked',
    'api.token_reused': 'Used refresh token presented again',
    'job.retried': 'Job retried',
    'queue.created': 'Queue created',
    'queue.updated': 'Queue changed',
    'workflow.created': 'Workflow created',
    'status.added': 'Status added',
    'status.renamed': 'Status renamed',
    'statuses.reordered': 'Statuses reordered',
    'transitions.set': 'Transitions changed',
    'status.deleted': 'Status deleted',
    'rule.created': 'Rule created',
    'rule.updated': 'Rule changed',
    'rule.moved': 'Rule moved',
    'rule.reordered': 'Rules reordered',
    'rule.deleted': 'Rule deleted',
    'rule.fired': 'Rule applied',
    'rule.failed': 'Rule failed',
    'visitor.signed_in': 'Widget visitor signed in',
    'visitor.signed_out': 'Widget visitor signed out',
    'visitor.identified': 'Widget visitor identified by the site',
    'visitor.joined': "Widget visitor's history joined",
    'ticket.merged': 'Ticket merged into another',
}
ROLE_NAMES = {'customer': 'Customer', 'agent': 'Agent', 'admin': 'Admin'}
NONE = '—'


def action_name(kind: str) -> str:
    return t(ACTIONS[kind]) if kind in ACTIONS else kind


def audit_list_header() -> None:
    with ui.element('div').classes(GRID + ' px-2 text-caption text-grey-7').props('role=row'):
        for heading in HEADINGS:
            ui.label(t(heading)).props('role=columnheader')


def change_text(item: AuditEntry) -> str:
    """"before → after" in the tab's language where the values are words of the UI (statuses, roles)."""
    if item.before is None or item.after is None:
        return ''
    before, after = item.before, item.after
    if item.kind == 'status.changed':
        before, after = t(before), t(after)
    elif item.kind == 'user.role_changed':
        before, after = (t(ROLE_NAMES[role]) if role in ROLE_NAMES else role for role in (before, after))
    return f'{before or NONE} → {after or NONE}'


class AuditRowView(ui.element):
    def __init__(self, item: AuditEntry) -> None:
        super().__init__('div')
        self.classes(GRID + ' items-start px-2 py-1 border-b border-grey-4').props('role=row') \
            .mark(f'audit-{item.id}')
        with self:
            Moment(item.created_at, precise=True).classes('text-grey-8').props('role=cell')
            with ui.column().classes('gap-0 min-w-0').props('role=cell'):
                ui.label(item.actor or t('System')).classes('truncate')
                if item.actor_username and item.actor_username != item.actor:
                    ui.label(item.actor_username).classes('truncate text-caption text-grey-7')
            ui.label(action_name(item.kind)).classes('font-medium').props('role=cell')
            with ui.element('div').classes('min-w-0').props('role=cell'):
                if item.request_id is None:
                    ui.label(NONE).classes('text-grey-7')
                else:
                    path = f'/tickets/{item.request_id}' if item.request_private else f'/requests/{item.request_id}'
                    title = item.request_title if item.request_title is not None else t('deleted')
                    ui.link(f'#{item.request_id} {title}', path).classes('block truncate')
            ui.label(item.channel).props('role=cell')
            with ui.column().classes('gap-0 min-w-0').props('role=cell'):
                change = change_text(item)
                if change:
                    ui.label(change).classes('break-words').mark('audit-change')
                if item.details:
                    ui.label(item.details).classes('text-caption text-grey-7 break-all')
