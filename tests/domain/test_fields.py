"""Queue-defined fields: definitions, the values people submit, money typed by people, an order's total."""

from __future__ import annotations

import pytest

from domain.errors import InvalidInput
from domain.requests.fields import (
    ITEMS_MAX,
    MONEY_MAX,
    FieldDef,
    Item,
    checked_values,
    definitions,
    format_amount,
    format_money,
    parse_money,
    total,
)

ORDER_FIELDS = definitions([
    {'key': 'items', 'label': 'Line items', 'kind': 'items', 'required': True, 'currency': 'EUR'},
    {'key': 'delivery_address', 'label': 'Delivery address', 'kind': 'text'},
    {'key': 'weight', 'label': 'Weight', 'kind': 'number'},
    {'key': 'tip', 'label': 'Tip', 'kind': 'money', 'currency': 'EUR'},
])


def refused(fields: tuple[FieldDef, ...], values: dict[str, object]) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        checked_values(fields, values)
    return caught.value


def item(name: object = 'Pen', quantity: object = 1, unit_price: object = 100) -> dict[str, object]:
    return {'name': name, 'quantity': quantity, 'unit_price': unit_price}


@pytest.mark.parametrize('typed, cents', [
    ('12.50', 1250), ('12,50', 1250), ('12', 1200), ('12.5', 1250), ('0,99', 99), (' 7 ', 700),
    ('1 234,50', 123450), ('1\u00a0234.50', 123450), ('1,234.50', 123450), ('1.234,5', 123450),
    ('1,234,567.89', 123456789), ('0', 0), ('12.', 1200),
])
def test_money_typed_with_a_point_or_a_comma_becomes_cents(typed: str, cents: int) -> None:
    assert parse_money(typed) == cents


@pytest.mark.parametrize('typed, message', [
    ('', 'Enter an amount.'), ('   ', 'Enter an amount.'), ('-1', 'An amount cannot be negative.'),
    ('abc', 'Enter an amount like 12.50.'), ('0.125', 'Enter an amount like 12.50.'),
    ('1.2.3', 'Enter an amount like 12.50.'), ('.5', 'Enter an amount like 12.50.'),
    ('1,234,56', 'Enter an amount like 12.50.'), ('1.234.50', 'Enter an amount like 12.50.'),
    ('99999999999', 'At most {max}.'),
])
def test_money_that_is_not_an_amount_is_refused_with_a_reason(typed: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_money(typed, field='price')
    assert (caught.value.template, caught.value.field) == (message, 'price')


def test_money_is_shown_with_two_decimals_and_the_currency() -> None:
    assert format_money(123456789, 'EUR') == '1\u00a0234\u00a0567.89\u00a0EUR'
    assert format_money(5, 'USD') == '0.05\u00a0USD'
    assert format_amount(1250) == '12.50'
    assert parse_money(format_amount(MONEY_MAX)) == MONEY_MAX


def test_the_total_is_the_sum_of_quantity_times_unit_price() -> None:
    assert total([Item('Pen', 3, 250), Item('Pad', 2, 1999)]) == 3 * 250 + 2 * 1999
    assert total([]) == 0


def test_submitted_values_are_checked_and_the_total_is_stored_beside_them() -> None:
    values = checked_values(ORDER_FIELDS, {
        'items': [item(' Pen ', '3', '2,50'), item('Pad', 2, 1999)],
        'delivery_address': '  Main street 1 ', 'weight': '2,5', 'tip': '1.00'})
    assert values == {'items': [{'name': 'Pen', 'quantity': 3, 'unit_price': 250},
                                {'name': 'Pad', 'quantity': 2, 'unit_price': 1999}],
                      'delivery_address': 'Main street 1', 'weight': 2.5, 'tip': 100, 'total': 4748}


def test_optional_fields_left_blank_are_not_stored() -> None:
    values = checked_values(ORDER_FIELDS, {'items': [item()], 'delivery_address': '  ', 'weight': None})
    assert values == {'items': [{'name': 'Pen', 'quantity': 1, 'unit_price': 100}], 'total': 100}


@pytest.mark.parametrize('values, field, template', [
    ({}, 'items', 'Add at least one item.'),
    ({'items': []}, 'items', 'Add at least one item.'),
    ({'items': [item()], 'colour': 'red'}, 'colour', 'This queue has no field "{key}".'),
    ({'items': [item()], 'delivery_address': 'x' * 501}, 'delivery_address',
     'At most {max} characters (now {length}).'),
    ({'items': [item()], 'delivery_address': 5}, 'delivery_address', 'Enter text here.'),
    ({'items': [item()], 'weight': 'heavy'}, 'weight', 'Enter a number.'),
    ({'items': [item()], 'weight': float('nan')}, 'weight', 'Enter a number between -{max} and {max}.'),
    ({'items': [item()], 'weight': float('inf')}, 'weight', 'Enter a number between -{max} and {max}.'),
    ({'items': [item()], 'weight': 10**400}, 'weight', 'Enter a number between -{max} and {max}.'),
    ({'items': [item()], 'weight': True}, 'weight', 'Enter a number.'),
    ({'items': [item()], 'tip': -5}, 'tip', 'An amount cannot be negative.'),
    ({'items': [item()], 'tip': 1.5}, 'tip', 'Enter an amount in cents, a whole number.'),
    ({'items': 'pens'}, 'items', 'Items come as a list.'),
    ({'items': [item()] * (ITEMS_MAX + 1)}, 'items', 'At most {max} items (now {count}).'),
])
def test_a_bad_value_is_refused_on_its_field(values: dict[str, object], field: str, template: str) -> None:
    error = refused(ORDER_FIELDS, values)
    assert (error.field, error.template) == (field, template)


@pytest.mark.parametrize('bad, part, template', [
    (item(name='  '), 'name', 'Item {item}: enter a name.'),
    (item(name=None), 'name', 'Item {item}: enter a name.'),
    (item(name='x' * 201), 'name', 'At most {max} characters (now {length}).'),
    (item(quantity=0), 'quantity', 'Item {item}: the quantity is a whole number from 1 to {max}.'),
    (item(quantity='two'), 'quantity', 'Item {item}: the quantity is a whole number from 1 to {max}.'),
    (item(quantity=1.5), 'quantity', 'Item {item}: the quantity is a whole number from 1 to {max}.'),
    (item(quantity=10_001), 'quantity', 'Item {item}: the quantity is a whole number from 1 to {max}.'),
    (item(unit_price=''), 'unit_price', 'Item {item}: enter a unit price.'),
    (item(unit_price=None), 'unit_price', 'Item {item}: enter a unit price.'),
    (item(unit_price='12,5x'), 'unit_price', 'Item {item}: enter a unit price like 12.50.'),
    (item(unit_price=-1), 'unit_price', 'Item {item}: a price cannot be negative.'),
    (item(unit_price='-1'), 'unit_price', 'Item {item}: a price cannot be negative.'),
    (item(unit_price=MONEY_MAX + 1), 'unit_price', 'Item {item}: at most {max} a unit.'),
    ({**item(), 'colour': 'red'}, 'name', 'Item {item}: give a name, a quantity and a unit price.'),
])
def test_a_bad_item_names_its_number_and_part(bad: dict[str, object], part: str, template: str) -> None:
    error = refused(ORDER_FIELDS, {'items': [item(), bad]})
    assert (error.field, error.template, error.params['item'], error.params['part']) == ('items', template, 2, part)
    assert error.message.startswith('Item 2:') or 'Item' not in template


def test_a_free_item_is_fine() -> None:
    assert checked_values(ORDER_FIELDS, {'items': [item(unit_price='0')]})['total'] == 0


@pytest.mark.parametrize('raw', [
    [{'key': 'Bad Key', 'label': 'X', 'kind': 'text'}],
    [{'key': 'total', 'label': 'Total', 'kind': 'money', 'currency': 'EUR'}],
    [{'key': 'a', 'label': 'A', 'kind': 'text'}, {'key': 'a', 'label': 'B', 'kind': 'text'}],
    [{'key': 'a', 'label': '', 'kind': 'text'}],
    [{'key': 'a', 'label': 'A', 'kind': 'colour'}],
    [{'key': 'a', 'label': 'A', 'kind': 'money'}],
    [{'key': 'a', 'label': 'A', 'kind': 'items', 'currency': 'euro'}],
    [{'key': 'a', 'label': 'A', 'kind': 'text', 'currency': 'EUR'}],
    [{'key': 'a', 'label': 'A', 'kind': 'text', 'required': 'yes'}],
    ['a'],
])
def test_field_definitions_that_make_no_sense_are_refused(raw: list[object]) -> None:
    with pytest.raises(InvalidInput) as caught:
        definitions(raw)  # type: ignore[arg-type]
    assert caught.value.field == 'fields'


def test_field_definitions_are_read_with_their_defaults() -> None:
    assert definitions([{'key': 'note', 'label': ' Note ', 'kind': 'text'}]) == (FieldDef('note', 'Note', 'text'),)
