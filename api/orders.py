"""/api/v1/orders: file an order with line items, read one, list yours (every order for staff) by a cursor."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from domain.errors import InvalidInput

from . import pagination
from .deps import DEFAULT_LIMIT, CurrentUser, Cursor, DeskDep, IdPath, Limit
from .documented import SIGN_IN, errors
from .errors import COMMON, ApiRoute
from .schemas import MAX_ID, Page
from .schemas_orders import OrderFormOut, OrderIn, OrderOut, OrderRowOut

router = APIRouter(prefix='/orders', tags=['orders'], route_class=ApiRoute, responses=COMMON)


@router.get('/form', summary='Read the order form', responses=errors(SIGN_IN))
async def order_form(user: CurrentUser, desk: DeskDep) -> OrderFormOut:
    """What an order asks for (its fields) and the statuses it goes through."""
    return OrderFormOut.of(await desk.orders.form())


@router.get('', summary='List orders', responses=errors(
    SIGN_IN | {422: ('This cursor was not handed out here; start again without one.', 'cursor')}))
async def list_orders(user: CurrentUser, desk: DeskDep, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT,
                      status_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> Page[OrderRowOut]:
    """Your orders, newest first (staff: every order); optionally in one status."""
    last = pagination.decode(cursor, datetime, int)
    found = await desk.orders.browse(viewer_id=user.id, status_id=status_id, limit=limit,
                                     after=(last[0], last[1]) if last else None)
    next_cursor = None
    if found.more:
        row = found.rows[-1]
        next_cursor = pagination.encode(row.created_at.isoformat(), row.id)
    return Page(items=[OrderRowOut.model_validate(row) for row in found.rows], next_cursor=next_cursor)


@router.post('', status_code=201, summary='Place an order', responses=errors(
    SIGN_IN | {422: ('Items go in "items", not in "fields".', 'fields.items')}))
async def create_order(body: OrderIn, user: CurrentUser, desk: DeskDep) -> OrderOut:
    """Place an order; its total is the sum of quantity × unit price, computed here."""
    form = await desk.orders.form()
    items_key = next(field.key for field in form.fields if field.kind == 'items')
    if items_key in body.fields:
        raise InvalidInput('Items go in "items", not in "fields".', field=f'fields.{items_key}')
    values = {**body.fields, items_key: [item.model_dump() for item in body.items]}
    order_id = await desk.orders.create(actor_id=user.id, title=body.title, description=body.description,
                                        values=values, channel='api')
    return OrderOut.of(await desk.orders.open(viewer_id=user.id, order_id=order_id))


@router.get('/{order_id}', summary='Read an order', responses=errors(SIGN_IN | {404: 'This order does not exist.'}))
async def get_order(order_id: IdPath, user: CurrentUser, desk: DeskDep) -> OrderOut:
    """One of your orders (staff: any order), with its items, total and conversation."""
    return OrderOut.of(await desk.orders.open(viewer_id=user.id, order_id=order_id))
