"""Queue-defined extra fields: their definitions, the values people submit, money, and an order's total."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.errors import InvalidInput
from domain.text import storable

KINDS = ('text', 'number', 'money', 'items')
TOTAL = 'total'  # stored beside the values of a queue with an items field; no field may take the key
TEXT_MAX = 500
ITEM_NAME_MAX = 200
ITEMS_MAX = 100
QUANTITY_MAX = 10_000
MONEY_MAX = 1_000_000_000  # minor units: 10 million a price, so a total stays exact even in a browser's numbers
LABEL_MAX = 64
NUMBER_MAX = 10**15  # beyond it a browser's numbers are no longer exact
_KEY = re.compile(r'[a-z][a-z0-9_]{0,31}')
_CURRENCY = re.compile(r'[A-Z]{3}')
# Units grouped by thousands ("1,234" "1.234" "1 234", the first group not starting with 0) or plain digits, then
# at most two decimals after a point or a comma.
_MONEY = re.compile(r"(?P<units>[1-9]\d{0,2}(?P<group>[.,'])\d{3}(?:(?P=group)\d{3})*|\d+)"
                    r'(?:(?P<point>[.,])(?P<cents>\d{0,2}))?')  # "12." while typing "12.50" is twelve already


@dataclass(frozen=True)
class MoneyMessages:
    """What is wrong with an amount, said for a money field or for an item's unit price."""

    blank: str
    shape: str
    negative: str
    too_big: str
    not_cents: str


AMOUNT = MoneyMessages('Enter an amount.', 'Enter an amount like 12.50.', 'An amount cannot be negative.',
                       'At most {max}.', 'Enter an amount in cents, a whole number.')
PRICE = MoneyMessages('Item {item}: enter a unit price.', 'Item {item}: enter a unit price like 12.50.',
                      'Item {item}: a price cannot be negative.', 'Item {item}: at most {max} a unit.',
                      'Item {item}: the unit price is a whole number of cents.')


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    kind: str  # text | number | money | items
    required: bool = False
    currency: str = ''  # money and items: what their amounts are in


@dataclass(frozen=True)
class Item:
    name: str
    quantity: int
    unit_price: int  # minor units

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price


def definitions(raw: Sequence[Mapping[str, Any]]) -> tuple[FieldDef, ...]:
    """A queue's stored field list, checked: keys unique slugs, known kinds, a currency where amounts are."""
    found: list[FieldDef] = []
    for entry in raw:
        if not isinstance(entry, Mapping):
            raise InvalidInput('A field is described by its key, label and kind.', field='fields')
        key, label, kind = entry.get('key'), entry.get('label'), entry.get('kind')
        currency, required = entry.get('currency', ''), entry.get('required', False)
        if not isinstance(key, str) or not _KEY.fullmatch(key) or key == TOTAL:
            raise InvalidInput('A field key is a short lowercase slug, like "delivery_address".', field='fields')
        if any(f.key == key for f in found):
            raise InvalidInput('Two fields have the key "{key}".', field='fields', key=key)
        if not isinstance(label, str) or not label.strip() or len(label) > LABEL_MAX:
            raise InvalidInput('The field "{key}" needs a label of at most {max} characters.', field='fields',
                               key=key, max=LABEL_MAX)
        if kind not in KINDS:
            raise InvalidInput('The field "{key}" has an unknown kind.', field='fields', key=key)
        if not isinstance(required, bool):
            raise InvalidInput('The field "{key}" says neither required nor optional.', field='fields', key=key)
        priced = kind in ('money', 'items')
        if not isinstance(currency, str) or (priced and not _CURRENCY.fullmatch(currency)) or \
                (not priced and currency):
            raise InvalidInput('The field "{key}" needs a three-letter currency code, like EUR.', field='fields',
                               key=key)
        found.append(FieldDef(key, label.strip(), kind, required, currency))
    return tuple(found)


def checked_values(fields: Sequence[FieldDef], submitted: Mapping[str, Any]) -> dict[str, Any]:
    """The values to store for a request: each checked against its field; with an items field, the total too."""
    known = {field.key for field in fields}
    for key in submitted:
        if key not in known:
            raise InvalidInput('This queue has no field "{key}".', field=str(key), key=str(key)[:64])
    values: dict[str, Any] = {}
    for field in fields:
        value = _checked(field, submitted.get(field.key))
        if value is None and field.required:
            message = 'Add at least one item.' if field.kind == 'items' else 'Fill in this field.'
            raise InvalidInput(message, field=field.key)
        if value is not None:
            values[field.key] = value
    items_field = next((field for field in fields if field.kind == 'items'), None)
    if items_field is not None:
        values[TOTAL] = total(items_of(values.get(items_field.key)))
    return values


def items_of(stored: object) -> list[Item]:
    """The items of a stored value (as checked_values made it)."""
    if not isinstance(stored, list):
        return []
    return [Item(str(entry['name']), int(entry['quantity']), int(entry['unit_price'])) for entry in stored]


def total(items: Sequence[Item]) -> int:
    return sum(item.amount for item in items)


def parse_money(text: str, *, field: str = 'amount') -> int:
    """An amount typed by a person ("12.50", "12,50", "1 234,50") in minor units."""
    return _parsed(text, field, AMOUNT)


def format_amount(minor: int) -> str:
    """Minor units as a person types them: "1234.50"."""
    return f'{minor // 100}.{minor % 100:02d}'


def format_money(minor: int, currency: str) -> str:
    """Minor units for display: "1 234.50 EUR" (thousands kept together on one line)."""
    units = f'{minor // 100:,}'.replace(',', '\u00a0')
    return f'{units}.{minor % 100:02d}\u00a0{currency}'.rstrip('\u00a0')


def _checked(field: FieldDef, value: Any) -> Any:
    """The value to store, or None when none was given."""
    if value is None or (isinstance(value, str) and not value.strip()) or value == []:
        return None
    match field.kind:
        case 'text':
            return _text(value, field.key, TEXT_MAX)
        case 'number':
            return _number(value, field.key)
        case 'money':
            return _money(value, field.key)
        case _:
            return _items(value, field.key)


def _text(value: Any, key: str, limit: int, **params: object) -> str:
    if not isinstance(value, str):
        raise InvalidInput('Enter text here.', field=key, **params)
    text = storable(value).strip()
    if len(text) > limit:
        raise InvalidInput('At most {max} characters (now {length}).', field=key, max=limit, length=len(text),
                           **params)
    return text


def _number(value: Any, key: str) -> int | float:
    number: int | float
    if isinstance(value, bool):
        raise InvalidInput('Enter a number.', field=key)
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str):
        text = ''.join(value.split()).replace(',', '.')
        try:
            number = int(text) if re.fullmatch(r'[-+]?\d+', text) else float(text)
        except ValueError:
            raise InvalidInput('Enter a number.', field=key) from None
    else:
        raise InvalidInput('Enter a number.', field=key)
    if abs(number) > NUMBER_MAX or not math.isfinite(number):  # in this order: a huge int has no float
        raise InvalidInput('Enter a number between -{max} and {max}.', field=key, max=NUMBER_MAX)
    return number


def _money(value: Any, key: str, says: MoneyMessages = AMOUNT, **params: object) -> int:
    """Minor units as a whole number (the API), or an amount as typed (the pages)."""
    if isinstance(value, str):
        return _parsed(value, key, says, **params)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(says.not_cents, field=key, **params)
    if value < 0:
        raise InvalidInput(says.negative, field=key, **params)
    return _bounded(value, key, says, **params)


def _parsed(text: str, key: str, says: MoneyMessages, **params: object) -> int:
    cleaned = ''.join(storable(text).split())
    if not cleaned:
        raise InvalidInput(says.blank, field=key, **params)
    if cleaned[0] in '-\u2212':
        raise InvalidInput(says.negative, field=key, **params)
    found = _MONEY.fullmatch(cleaned)
    if found is None or (found['group'] and found['group'] == found['point']):
        raise InvalidInput(says.shape, field=key, **params)
    units = int(re.sub(r'\D', '', found['units']))
    return _bounded(units * 100 + int((found['cents'] or '0').ljust(2, '0')), key, says, **params)


def _bounded(amount: int, key: str, says: MoneyMessages, **params: object) -> int:
    if amount > MONEY_MAX:
        raise InvalidInput(says.too_big, field=key, max=format_amount(MONEY_MAX), **params)
    return amount


def _items(value: Any, key: str) -> list[dict[str, Any]]:
    if not isinstance(value, list | tuple):
        raise InvalidInput('Items come as a list.', field=key)
    if len(value) > ITEMS_MAX:
        raise InvalidInput('At most {max} items (now {count}).', field=key, max=ITEMS_MAX, count=len(value))
    return [_item(entry, key, number) for number, entry in enumerate(value, start=1)]


def _item(entry: Any, key: str, number: int) -> dict[str, Any]:
    """One line item; errors say which item and which part, so a form can mark the very input."""
    if not isinstance(entry, Mapping) or set(entry) - {'name', 'quantity', 'unit_price'}:
        raise InvalidInput('Item {item}: give a name, a quantity and a unit price.', field=key, item=number,
                           part='name')
    name = entry.get('name')
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput('Item {item}: enter a name.', field=key, item=number, part='name')
    name = _text(name, key, ITEM_NAME_MAX, item=number, part='name')
    return {'name': name, 'quantity': _quantity(entry.get('quantity'), key, number),
            'unit_price': _price(entry.get('unit_price'), key, number)}


def _quantity(value: Any, key: str, number: int) -> int:
    if isinstance(value, str) and re.fullmatch(r'\s*\d{1,9}\s*', value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= QUANTITY_MAX:
        raise InvalidInput('Item {item}: the quantity is a whole number from 1 to {max}.', field=key, item=number,
                           part='quantity', max=QUANTITY_MAX)
    return value


def _price(value: Any, key: str, number: int) -> int:
    if value is None:
        raise InvalidInput(PRICE.blank, field=key, item=number, part='unit_price')
    return _money(value, key, PRICE, item=number, part='unit_price')
