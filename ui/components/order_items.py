"""Line items as a person types them: rows of name, quantity and unit price, with the total kept up to date."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from domain.errors import DomainError, InvalidInput
from domain.requests.fields import Item, format_money, parse_money, total

from ..i18n import error_text, t
from .icon_button import icon_button


class ItemRow(ui.row):
    def __init__(self, currency: str, on_change: Callable[[], None], on_remove: Callable[[ItemRow], None]) -> None:
        super().__init__()
        self.classes('w-full items-start gap-2 no-wrap').mark('item-row')
        with self:
            self.name = ui.input(t('Item')).classes('grow').props('dense')
            self.quantity = ui.input(t('Quantity'), value='1').classes('w-20').props('dense inputmode=numeric')
            self.price = ui.input(t('Unit price')).classes('w-40').props(f'dense inputmode=decimal suffix={currency}')
            self.remove = icon_button('delete', label=t('Remove item'), tooltip=t('Remove item'),
                                      on_click=lambda: on_remove(self)).mark('remove-item')
        for field in (self.name, self.quantity, self.price):
            field.on_value_change(on_change)

    @property
    def blank(self) -> bool:
        """Nothing typed but the default quantity: not an item, just a free row."""
        return not (self.name.value or '').strip() and not (self.price.value or '').strip() \
            and (self.quantity.value or '').strip() in ('', '1')

    def value(self) -> dict[str, Any]:
        """As typed: the domain reads amounts ("12,50") and quantities, and says what is wrong."""
        return {'name': self.name.value or '', 'quantity': self.quantity.value or '',
                'unit_price': self.price.value or ''}

    def item(self) -> Item | None:
        """The item if what is typed makes one (for the running total), else None."""
        quantity = (self.quantity.value or '').strip()
        if not quantity.isdigit() or int(quantity) < 1:
            return None
        try:
            price = parse_money(self.price.value or '')
        except InvalidInput:
            return None
        return Item(self.name.value or '', int(quantity), price)

    def clear_errors(self) -> None:
        for field in (self.name, self.quantity, self.price):
            field.error = None

    def show_error(self, part: str, message: str) -> None:
        {'quantity': self.quantity, 'unit_price': self.price}.get(part, self.name).error = message


class ItemsEditor(ui.column):
    """The "Line items" of a new order; `values()` hands the typed rows to the domain, `show` puts its errors back."""

    def __init__(self, label: str, currency: str) -> None:
        super().__init__()
        self.classes('w-full gap-1').mark('items-editor')
        self.currency = currency
        with self:
            ui.label(label).classes('text-subtitle2').props('role=heading aria-level=3')
            self.rows_area = ui.column().classes('w-full gap-1')
            self.problem = ui.label().classes('text-negative text-caption').props('role=alert')
            with ui.row().classes('w-full items-center justify-between'):
                ui.button(t('Add item'), icon='add', on_click=self.add_row).props('flat dense').mark('add-item')
                self.total = ui.label().classes('text-subtitle1 text-weight-medium').mark('order-total') \
                    .props('aria-live=polite')
        self.reset()

    def add_row(self) -> ItemRow:
        with self.rows_area:
            row = ItemRow(self.currency, self.update_total, self.remove_row)
        self.update_total()
        return row

    def remove_row(self, row: ItemRow) -> None:
        self.rows_area.remove(row)
        if not self.rows:
            self.add_row()
        self.update_total()

    @property
    def rows(self) -> list[ItemRow]:
        return [row for row in self.rows_area.default_slot.children if isinstance(row, ItemRow)]

    def filled(self) -> list[ItemRow]:
        return [row for row in self.rows if not row.blank]

    def values(self) -> list[dict[str, Any]]:
        return [row.value() for row in self.filled()]

    def update_total(self) -> None:
        """The total as typed so far; a row whose price or quantity is not a number yet leaves it open."""
        items = [row.item() for row in self.filled()]
        if any(item is None for item in items):
            self.total.set_text(t('Total: {amount}', amount='—'))
        else:
            self.total.set_text(t('Total: {amount}', amount=format_money(total(items), self.currency)))  # type: ignore[arg-type]

    def clear_errors(self) -> None:
        self.problem.set_text('')
        for row in self.rows:
            row.clear_errors()

    def show(self, error: DomainError) -> None:
        """On the item's own input when the error names one (numbered among the filled rows), else below them."""
        number, part = error.params.get('item'), error.params.get('part')
        filled = self.filled()
        if isinstance(number, int) and 1 <= number <= len(filled) and isinstance(part, str):
            filled[number - 1].show_error(part, error_text(error))
        else:
            self.problem.set_text(error_text(error))

    def reset(self) -> None:
        self.rows_area.clear()
        self.add_row()
