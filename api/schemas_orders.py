"""Schemas for orders: line items, the queue's other fields, and the total in minor units."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from domain.orders.service import OrderForm, OrderView
from domain.requests.fields import ITEM_NAME_MAX, ITEMS_MAX, MONEY_MAX, QUANTITY_MAX, format_money

from .schemas import NOT_BLANK, Input, Output, Whole, example
from .schemas_requests import Description, MessageOut, StatusOut, Title

FieldKey = Annotated[str, Field(pattern=r'^[a-z][a-z0-9_]{0,31}$')]  # domain.requests.fields._KEY: a slug
PENDING = {'id': 4, 'name': 'PENDING', 'kind': 'open', 'position': 0}
ITEMS = [{'name': 'A4 paper, 500 sheets', 'quantity': 4, 'unit_price': 599},
         {'name': 'Toner TN-2420', 'quantity': 1, 'unit_price': 4990}]

class ItemIn(Input):
    name: str = Field(min_length=1, max_length=ITEM_NAME_MAX, pattern=NOT_BLANK, description='What is ordered')
    quantity: Whole = Field(ge=1, le=QUANTITY_MAX)
    unit_price: Whole = Field(ge=0, le=MONEY_MAX, description='Minor units of the currency (cents)')


class OrderIn(Input):
    model_config = example({'title': 'Paper and toner', 'items': ITEMS,
                            'fields': {'delivery_address': '2nd floor, printer room'}})
    title: Title
    description: Description = ''
    items: list[ItemIn] = Field(min_length=1, max_length=ITEMS_MAX)
    fields: dict[FieldKey, str | int | float] = Field(
        default_factory=dict, json_schema_extra={'additionalProperties': False},  # keys are slugs, nothing else
        description="The Orders queue's other fields by key (see GET /orders/form), "
                                          'e.g. {"delivery_address": "...", "note": "..."}')


class ItemOut(Output):
    name: str
    quantity: int
    unit_price: int = Field(description='Minor units (cents)')
    amount: int = Field(description='quantity × unit_price, minor units')


class FieldOut(Output):
    key: str
    label: str
    kind: str = Field(description='text, number, money or items')
    required: bool
    currency: str = Field(description='For money and items: what amounts are in; empty otherwise')


class OrderFormOut(Output):
    model_config = example({'fields': [
        {'key': 'items', 'label': 'Line items', 'kind': 'items', 'required': True, 'currency': 'EUR'},
        {'key': 'delivery_address', 'label': 'Delivery address', 'kind': 'text', 'required': False, 'currency': ''},
        {'key': 'note', 'label': 'Note', 'kind': 'text', 'required': False, 'currency': ''}],
        'statuses': [PENDING, {'id': 5, 'name': 'PAID', 'kind': 'active', 'position': 1},
                     {'id': 6, 'name': 'SHIPPED', 'kind': 'active', 'position': 2},
                     {'id': 7, 'name': 'CANCELED', 'kind': 'closed', 'position': 3}],
        'currency': 'EUR'})
    fields: list[FieldOut]
    statuses: list[StatusOut] = Field(description='In workflow order: where a new order starts, and what follows')
    currency: str

    @classmethod
    def of(cls, form: OrderForm) -> OrderFormOut:
        return cls(fields=[FieldOut.model_validate(field) for field in form.fields],
                   statuses=[StatusOut.model_validate(status) for status in form.statuses], currency=form.currency)


class OrderRowOut(Output):
    model_config = example({'id': 7, 'title': 'Paper and toner', 'status_id': 4, 'status': 'PENDING',
                            'status_kind': 'open', 'author_id': 2, 'author': 'user',
                            'created_at': '2026-12-07T08:04:30.284831Z', 'updated_at': '2026-12-07T08:04:30.284831Z',
                            'total': 7386, 'currency': 'EUR', 'item_count': 2})
    id: int
    title: str
    status_id: int
    status: str
    status_kind: str
    author_id: int
    author: str
    created_at: datetime
    updated_at: datetime
    total: int = Field(description='Minor units (cents)')
    currency: str
    item_count: int


class OrderOut(Output):
    model_config = example({'id': 7, 'title': 'Paper and toner', 'description': '', 'status': PENDING,
                            'next_statuses': [], 'author_id': 2, 'author': 'user', 'assignee_id': None,
                            'assignee': None, 'channel': 'api', 'created_at': '2026-12-07T08:04:30.284831Z',
                            'updated_at': '2026-12-07T08:04:30.284831Z', 'closed_at': None,
                            'items': [item | {'amount': item['quantity'] * item['unit_price']} for item in ITEMS],
                            'fields': {'delivery_address': '2nd floor, printer room'}, 'total': 7386,
                            'currency': 'EUR', 'total_text': '73.86 EUR', 'messages': []})
    id: int
    title: str
    description: str
    status: StatusOut
    next_statuses: list[StatusOut] = Field(description='Where you may move it (staff); move with '
                                                       'POST /requests/{id}/status')
    author_id: int
    author: str
    assignee_id: int | None
    assignee: str | None
    channel: str
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    items: list[ItemOut]
    fields: dict[str, Any] = Field(description="The queue's other fields that have a value, by key")
    total: int = Field(description='Sum of the items, minor units (cents)')
    currency: str
    total_text: str = Field(description='The total as shown to people, e.g. "39.97 EUR"')
    messages: list[MessageOut] = Field(description='The conversation with the shop (staff also see internal notes)')

    @classmethod
    def of(cls, view: OrderView) -> OrderOut:
        order = view.order
        item_keys = {field.key for field in view.fields if field.kind == 'items'}
        return cls(id=order.id, title=order.title, description=order.description,
                   status=StatusOut.model_validate(view.status),
                   next_statuses=[StatusOut.model_validate(status) for status in view.next_statuses],
                   author_id=order.author_id, author=order.author, assignee_id=order.assignee_id,
                   assignee=order.assignee, channel=order.channel, created_at=order.created_at,
                   updated_at=order.updated_at, closed_at=order.closed_at,
                   items=[ItemOut(name=i.name, quantity=i.quantity, unit_price=i.unit_price, amount=i.amount)
                          for i in view.items],
                   fields={key: value for key, value in view.values.items() if key not in item_keys | {'total'}},
                   total=view.total, currency=view.currency,
                   total_text=format_money(view.total, view.currency).replace('\u00a0', ' '),
                   messages=[MessageOut.of(message) for message in view.messages])
