"""The rules in the order they run, each read out in words; admins switch, move, edit and delete them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from domain.errors import DomainError
from domain.rules.service import RuleOptions, RuleRow, user_ids

from ..i18n import error_text, t
from ..tab import Tab
from .icon_button import aria_label, icon_button
from .modal import answer
from .rule_dialog import rule_dialog
from .rule_words import RuleWords


class RuleList(ui.column):
    def __init__(self, tab: Tab, *, editable: bool) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.editable = editable
        self.options: RuleOptions | None = None
        with self:
            self.empty = ui.label(t('No rules yet.')).classes('text-body2 text-grey-7')
            self.list = ui.list().props('bordered separator').classes('w-full rounded-borders').mark('rule-list')

    async def show(self, rules: list[RuleRow], options: RuleOptions) -> None:
        """Redraw the rows: rules are configuration, a few dozen at most (the service caps the list)."""
        self.options = options
        words = RuleWords(options, await self._people(rules))
        if self.is_deleted:
            return
        self.empty.set_visibility(not rules)
        self.list.set_visibility(bool(rules))
        self.list.clear()
        with self.list:
            for index, rule in enumerate(rules):
                self._row(rule, words, first=index == 0, last=index == len(rules) - 1)

    def _row(self, rule: RuleRow, words: RuleWords, *, first: bool, last: bool) -> None:
        with ui.item().mark(f'rule-{rule.id}').classes('py-3'):
            with ui.item_section():
                with ui.row().classes('items-center gap-2'):
                    ui.item_label(rule.name).classes('font-medium text-body1')
                    if not rule.enabled:
                        ui.badge(t('Off'), color='grey-6').props('outline')
                _line(t('When'), words.when(rule.trigger))
                _line(t('If'), words.conditions(rule.conditions))
                _line(t('Then'), words.actions(rule.actions))
            with ui.item_section().props('side top'):
                if self.editable:
                    self._controls(rule, first=first, last=last)
                else:
                    ui.label(t('On') if rule.enabled else t('Off')).classes('text-grey-7')

    def _controls(self, rule: RuleRow, *, first: bool, last: bool) -> None:
        # Stacked in two rows on a phone: in one they left the rule's own words a third of the card.
        with ui.row().classes('items-center justify-end gap-1 max-w-[6.5rem] sm:max-w-none sm:no-wrap'):
            ui.switch(value=rule.enabled, on_change=lambda event: self._act(
                lambda actor_id: self.tab.desk.rules.set_enabled(actor_id=actor_id, rule_id=rule.id,
                                                                 enabled=bool(event.value)))) \
                .props(aria_label(t('Rule {name} enabled', name=rule.name))).mark(f'enabled-{rule.id}')
            up = icon_button('arrow_upward', label=t('Move {name} up', name=rule.name), tooltip=t('Move up'),
                             on_click=lambda: self._act(lambda actor_id: self.tab.desk.rules.move(
                                 actor_id=actor_id, rule_id=rule.id, offset=-1)))
            down = icon_button('arrow_downward', label=t('Move {name} down', name=rule.name), tooltip=t('Move down'),
                               on_click=lambda: self._act(lambda actor_id: self.tab.desk.rules.move(
                                   actor_id=actor_id, rule_id=rule.id, offset=1)))
            up.set_enabled(not first)
            down.set_enabled(not last)
            icon_button('edit', label=t('Edit rule {name}', name=rule.name), tooltip=t('Edit'),
                        on_click=lambda: self.edit(rule)).mark(f'edit-rule-{rule.id}')
            icon_button('delete', label=t('Delete rule {name}', name=rule.name), tooltip=t('Delete'),
                        on_click=lambda: self.delete(rule)).mark(f'delete-rule-{rule.id}')

    async def edit(self, rule: RuleRow | None) -> None:
        """The editor, for a new rule (None) or `rule`; the list redraws itself when RulesChanged arrives."""
        if self.options is not None:
            await rule_dialog(self.tab, self.options, rule)

    async def delete(self, rule: RuleRow) -> None:
        with ui.dialog().props(aria_label(t('Delete rule'))) as dialog, ui.card().mark('confirm-delete-rule'):
            ui.label(t('Delete the rule "{name}"? It stops at once.', name=rule.name))
            with ui.row().classes('w-full justify-end'):
                ui.button(t('Cancel'), on_click=dialog.close).props('flat')
                ui.button(t('Delete'), color='negative', on_click=lambda: dialog.submit(True)).mark('confirm-delete')
        if await answer(dialog):
            await self._act(lambda actor_id: self.tab.desk.rules.delete(actor_id=actor_id, rule_id=rule.id))

    async def _people(self, rules: list[RuleRow]) -> dict[int, str]:
        """The names of the customers the rules' conditions name (agents come with the options)."""
        wanted = sorted({user_id for rule in rules for user_id in user_ids(rule)})
        if not wanted:
            return {}
        try:
            found = await self.tab.desk.users.choices(actor_id=await self.tab.actor_id(), user_ids=wanted)
        except DomainError:
            return {}  # signed out meanwhile: the ids are still shown, and the next read names them
        return {user.id: user.display_name if user.display_name == user.username
                else f'{user.display_name} ({user.username})' for user in found}

    async def _act(self, change: Callable[[int | None], Awaitable[None]]) -> None:
        try:
            await change(await self.tab.actor_id())
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            await self.reload()  # a switch flipped here shows the rule as it really is

    async def reload(self, _event: object = None) -> None:
        """Read the rules again (after a save here or on another instance, or a reconnect) and redraw."""
        try:
            actor_id = await self.tab.actor_id()
            view = await self.tab.desk.rules.overview(actor_id=actor_id)
            options = await self.tab.desk.rules.options(actor_id=actor_id)
        except DomainError as error:  # signed out in another tab, say
            ui.notify(error_text(error), color='negative')
            return
        if not self.is_deleted:
            await self.show(view.rules, options)


def _line(heading: str, text: str) -> None:
    with ui.row().classes('gap-2 no-wrap items-baseline'):
        ui.label(heading).classes('text-caption text-weight-bold text-grey-7 w-12 shrink-0')
        ui.label(text).classes('text-body2 break-words')
