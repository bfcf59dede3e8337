"""The rule editor: name, when it runs, its conditions and its actions; Save shows what is wrong beside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from domain.errors import DomainError
from domain.rules.service import RuleDraft, RuleOptions, RuleRow

from ..i18n import error_text, t
from ..tab import Tab
from .icon_button import aria_label
from .modal import answer
from .rule_rows import ActionRow, ConditionRow
from .rule_words import trigger_labels


async def rule_dialog(tab: Tab, options: RuleOptions, rule: RuleRow | None = None) -> bool:
    """Create a rule, or edit `rule`; True once saved."""
    title = t('New rule') if rule is None else t('Edit rule "{name}"', name=rule.name)
    with ui.dialog().props(f'persistent {aria_label(title)}') as dialog, \
            ui.card().classes('w-full max-w-4xl').mark('rule-dialog'):
        ui.label(title).classes('text-h6').props('role=heading aria-level=2')
        editor = RuleEditor(tab, options, rule, on_saved=lambda: dialog.submit(True))
        with ui.row().classes('w-full justify-end'):
            ui.button(t('Cancel'), on_click=dialog.close).props('flat')
            ui.button(t('Save'), on_click=editor.save).mark('save-rule')
    return await answer(dialog)


class RuleEditor(ui.column):
    def __init__(self, tab: Tab, options: RuleOptions, rule: RuleRow | None, *, on_saved: Callable[[], None]) -> None:
        super().__init__()
        self.classes('w-full gap-3')
        self.tab, self.options, self.rule, self.on_saved = tab, options, rule, on_saved
        self.conditions: list[ConditionRow] = []
        self.actions: list[ActionRow] = []
        with self:
            self.name = ui.input(t('Name'), value=rule.name if rule else '').props('counter maxlength=120 autofocus') \
                .classes('w-full')
            with ui.row().classes('w-full items-center gap-4'):
                self.trigger = ui.select(trigger_labels(), label=t('When'),
                                         value=rule.trigger if rule else 'request.created',
                                         on_change=self._trigger_changed).classes('w-72')
                self.enabled = ui.switch(t('Enabled'), value=rule.enabled if rule else True)
            ui.label(t('Only if all of these hold')).classes('text-subtitle2').props('role=heading aria-level=3')
            self.condition_box = ui.column().classes('w-full gap-1').mark('conditions')
            self.conditions_error = ui.label().classes('text-negative text-caption').mark('conditions-error')
            ui.button(t('Add condition'), icon='add', on_click=lambda: self.add_condition({})) \
                .props('flat dense').mark('add-condition')
            ui.label(t('Then')).classes('text-subtitle2').props('role=heading aria-level=3')
            self.action_box = ui.column().classes('w-full gap-1').mark('actions')
            self.actions_error = ui.label().classes('text-negative text-caption').mark('actions-error')
            ui.button(t('Add action'), icon='add', on_click=lambda: self.add_action({})) \
                .props('flat dense').mark('add-action')
        for condition in rule.conditions if rule else []:
            self.add_condition(condition)
        for action in rule.actions if rule else [{}]:
            self.add_action(action)
        self._clear_errors()

    def add_condition(self, condition: dict[str, Any]) -> ConditionRow:
        with self.condition_box:
            row = ConditionRow(self.tab, self.options, condition, on_remove=self._remove_condition,
                               number=len(self.conditions) + 1)
        self.conditions.append(row)
        self._mark_rows()
        return row

    def add_action(self, action: dict[str, Any]) -> ActionRow:
        with self.action_box:
            row = ActionRow(self.tab, self.options, action, on_remove=self._remove_action,
                            number=len(self.actions) + 1)
        self.actions.append(row)
        self._mark_rows()
        return row

    def _remove_condition(self, row: ConditionRow) -> None:
        self.conditions.remove(row)
        row.delete()
        self._mark_rows()

    def _remove_action(self, row: ActionRow) -> None:
        self.actions.remove(row)
        row.delete()
        self._mark_rows()

    def _mark_rows(self) -> None:
        """Rows are named by position, as the service names them in its messages."""
        for index, condition in enumerate(self.conditions):
            condition.mark(f'condition-{index}')
        for index, action in enumerate(self.actions):
            action.mark(f'action-{index}')

    def _trigger_changed(self) -> None:
        # A time-in-status rule needs its duration: offer the row rather than refuse the save.
        if self.trigger.value == 'time_in_status' and \
                not any(row.field.value == 'time_in_status' for row in self.conditions):
            self.add_condition({'field': 'time_in_status', 'op': 'longer_than', 'value': 3600})

    def draft(self) -> RuleDraft:
        return RuleDraft(self.name.value or '', self.trigger.value or '', [row.value() for row in self.conditions],
                         [row.value() for row in self.actions], bool(self.enabled.value))

    async def save(self) -> None:
        self._clear_errors()
        try:
            actor_id = await self.tab.actor_id()
            if self.rule is None:
                await self.tab.desk.rules.create(actor_id=actor_id, draft=self.draft())
            else:
                await self.tab.desk.rules.update(actor_id=actor_id, rule_id=self.rule.id, draft=self.draft())
        except DomainError as error:
            self._show_error(error)
            return
        ui.notify(t('Rule "{name}" saved.', name=(self.name.value or '').strip()), color='positive')
        self.on_saved()

    def _show_error(self, error: DomainError) -> None:
        text, where = error_text(error), error.field or ''
        kind, _, number = where.partition('-')
        rows: list[ConditionRow] | list[ActionRow] = self.conditions if kind == 'condition' else self.actions
        if where == 'name':
            self.name.error = text
        elif where == 'trigger':
            self.trigger.error = text
        elif where == 'conditions':
            self.conditions_error.set_text(text)
        elif where == 'actions':
            self.actions_error.set_text(text)
        elif kind in ('condition', 'action') and number.isdigit() and int(number) < len(rows):
            rows[int(number)].target.error = text
        else:
            ui.notify(text, color='negative')

    def _clear_errors(self) -> None:
        self.name.error = self.trigger.error = None
        self.conditions_error.set_text('')
        self.actions_error.set_text('')
        for row in [*self.conditions, *self.actions]:
            row.target.error = None
