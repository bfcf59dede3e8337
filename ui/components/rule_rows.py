"""The rows of the rule editor: a condition (field, operator, value) and an action (what, and to whom or what).

Each row's value input suits its field or action: agents, statuses and queues are chosen from lists, the rest
typed. `value()` gives the row in the stored rule format; `target` is where a message about the row is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from domain.rules.service import RuleOptions

from ..i18n import t
from ..tab import Tab
from .icon_button import icon_button
from .rule_words import (
    NEXT,
    UNITS,
    action_labels,
    channel_labels,
    field_labels,
    op_labels,
    split_duration,
    unit_labels,
)
from .user_picker import UserPicker

OPERATORS = {'queue': ('is', 'is_not'), 'channel': ('is', 'is_not'), 'customer': ('is', 'is_not'),
             'telegram_chat': ('is',), 'title': ('contains',), 'status': ('is', 'is_not', 'in'),
             'assignee': ('is', 'is_not'), 'time_in_status': ('longer_than',)}
NOBODY = ''  # the assignee select's "nobody" (None cannot be an option key)


class ConditionRow(ui.row):
    def __init__(self, tab: Tab, options: RuleOptions, condition: dict[str, Any], *,
                 on_remove: Callable[[ConditionRow], None], number: int) -> None:
        super().__init__()
        self.classes('w-full items-start no-wrap gap-2')
        self.tab, self.options = tab, options
        self.target: ValidationElement
        self._value: Callable[[], Any] = lambda: None
        field = condition.get('field') if condition.get('field') in OPERATORS else 'queue'
        with self:
            self.field = ui.select(field_labels(), label=t('Field'), value=field,
                                   on_change=lambda: self._field_changed()).classes('w-40 shrink-0')
            self.op = ui.select({}, label=t('Operator'), on_change=lambda: self._show_value(None)) \
                .classes('w-32 shrink-0')
            self.value_box = ui.row().classes('grow items-start no-wrap gap-2')
            icon_button('close', label=t('Remove condition {number}', number=number), tooltip=t('Remove'),
                        on_click=lambda: on_remove(self))
        self._set_ops(field, condition.get('op'))
        self._show_value(condition.get('value'))

    def value(self) -> dict[str, Any]:
        return {'field': self.field.value, 'op': self.op.value, 'value': self._value()}

    def _field_changed(self) -> None:
        self._set_ops(self.field.value, None)
        self._show_value(None)

    def _set_ops(self, field: str, op: object) -> None:
        labels = op_labels()
        ops = OPERATORS.get(field, ('is',))
        self.op.set_options({name: labels[name] for name in ops}, value=op if op in ops else ops[0])

    def _show_value(self, value: Any) -> None:
        self.value_box.clear()
        field, op = self.field.value, self.op.value
        with self.value_box:
            if field == 'queue':
                queues = {q.id: q.name for q in self.options.queues}
                box = ui.select(queues, label=t('Queue'), value=_pick(queues, value))
            elif field == 'channel':
                channels = channel_labels()
                box = ui.select(channels, label=t('Channel'), value=_pick(channels, value) or 'telegram')
            elif field == 'status':
                names = {name: t(name) for name in self.options.statuses}
                multiple = op == 'in'
                current = (value if isinstance(value, list) else [value] if value else []) if multiple else \
                    (value if isinstance(value, str) else None)
                box = ui.select(names, label=t('Status'), value=_pick(names, current), multiple=multiple)
                if multiple:
                    box.props('use-chips')
            elif field == 'assignee':
                box = user_picker(self.tab, t('Agent'), NOBODY if value is None else value, staff_only=True,
                                  extra={NOBODY: t('Nobody')})
            elif field == 'customer':  # by name, username or email: no page shows a user's id
                box = user_picker(self.tab, t('Customer'), value if isinstance(value, int) else None)
            elif field == 'time_in_status':
                count, unit = split_duration(int(value)) if isinstance(value, int) and value > 0 else (1, 'hours')
                box = ui.number(t('How long'), value=count, min=1, precision=0).classes('w-28')
                units = ui.select(unit_labels(), label=t('Unit'), value=unit).classes('w-32')
                self.target = box
                self._value = lambda: None if box.value is None else int(box.value) * UNITS[units.value or 'seconds']
                return
            else:  # telegram_chat, title
                label = t('Chat id') if field == 'telegram_chat' else t('Text')
                box = ui.input(label, value=str(value) if value is not None else '')
            box.classes('grow min-w-40')
        self.target = box
        self._value = lambda: _read(field, box.value)


def user_picker(tab: Tab, label: str, value: Any, **kwargs: Any) -> UserPicker:
    return UserPicker(tab.desk, tab.user.id if tab.user else None, label=label, value=value, **kwargs)


def _pick(options: dict[Any, str], value: Any) -> Any:
    """The saved value if it is still offered (a queue or an agent may have gone since), else nothing."""
    if isinstance(value, list):
        return [v for v in value if v in options]
    return value if value in options else None


def _read(field: str, value: Any) -> Any:
    if field == 'assignee':
        return None if value == NOBODY else value
    if field == 'customer':
        return value if isinstance(value, int) else None
    if field == 'telegram_chat':
        return (value or '').strip()
    return value


class ActionRow(ui.row):
    def __init__(self, tab: Tab, options: RuleOptions, action: dict[str, Any], *,
                 on_remove: Callable[[ActionRow], None], number: int) -> None:
        super().__init__()
        self.classes('w-full items-start no-wrap gap-2')
        self.tab, self.options = tab, options
        self.target: ValidationElement
        self._value: Callable[[], dict[str, Any]] = dict
        kind = action.get('type') if action.get('type') in action_labels() else 'assign'
        with self:
            self.kind = ui.select(action_labels(), label=t('Action'), value=kind,
                                  on_change=lambda: self._show({})).classes('w-56 shrink-0')
            self.value_box = ui.row().classes('grow items-start no-wrap gap-2')
            icon_button('close', label=t('Remove action {number}', number=number), tooltip=t('Remove'),
                        on_click=lambda: on_remove(self))
        self._show(action)

    def value(self) -> dict[str, Any]:
        return {'type': self.kind.value, **self._value()}

    def _show(self, action: dict[str, Any]) -> None:
        self.value_box.clear()
        kind = self.kind.value
        with self.value_box:
            if kind == 'assign':
                box = user_picker(self.tab, t('Agent'), action.get('user_id'), staff_only=True)
                self._value = lambda: {'user_id': box.value}
            elif kind == 'assign_round_robin':
                chosen = [user_id for user_id in action.get('user_ids', []) if isinstance(user_id, int)]
                box = user_picker(self.tab, t('Agents'), chosen, staff_only=True, multiple=True)
                self._value = lambda: {'user_ids': list(box.value or [])}
            elif kind == 'set_status':
                statuses = {NEXT: t('The next status'), **{name: t(name) for name in self.options.statuses}}
                box = ui.select(statuses, label=t('Status'), value=_pick(statuses, action.get('status', NEXT)))
                self._value = lambda: {'status': box.value}
            elif kind == 'note':
                box = ui.textarea(t('Note'), value=action.get('text', '')).props('autogrow')
                self._value = lambda: {'text': box.value or ''}
            elif kind == 'email':
                box = self._email(str(action.get('to', 'author')))
            else:  # slack: where it goes is the desk's setting
                ui.label(t('Posts to the Slack channel the desk is set up with.')) \
                    .classes('text-body2 text-grey-7 pt-4')
                self._value = dict
                self.target = self.kind
                return
            box.classes('grow min-w-40')
        self.target = box

    def _email(self, to: str) -> ui.input:
        choices = {'author': t('The author'), 'assignee': t('The assignee'), 'address': t('An address')}
        whom = ui.select(choices, label=t('To'), value=to if to in ('author', 'assignee') else 'address') \
            .classes('w-40 shrink-0')
        address = ui.input(t('Email address'), value='' if to in ('author', 'assignee') else to)
        address.bind_visibility_from(whom, 'value', value='address')
        self._value = lambda: {'to': (address.value or '').strip() if whom.value == 'address' else whom.value}
        return address
