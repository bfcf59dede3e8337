"""Orders: customers file orders with line items and follow their own; staff see every order and move it along."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain import access, permissions
from domain.coalesce import Coalescer
from domain.errors import ConstraintConflict, NotFound, PermissionDenied
from domain.events import MessagePosted, RequestChanged
from domain.requests.conversations import checked_text
from domain.requests.fields import TOTAL, FieldDef, Item, definitions, items_of, total
from domain.requests.service import RequestService
from domain.slices import Slice, bounded, sliced
from storage.requests import COUNT_CAP, RequestFilter
from storage.rows import MessageRow, RequestRecord, RequestRow, StatusRow, UserRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

PAGE_SIZE = 25
ORDERS = permissions.ORDERS


@dataclass(frozen=True)
class OrderForm:
    """What filing an order asks for, and the statuses an order goes through."""

    queue_id: int
    fields: tuple[FieldDef, ...]
    statuses: list[StatusRow]

    @property
    def currency(self) -> str:
        return next((field.currency for field in self.fields if field.kind == 'items'), '')


@dataclass(frozen=True)
class OrderQuery:
    status_id: int | None = None
    page: int = 1


@dataclass(frozen=True)
class OrderRow:
    """One line of the order list."""

    id: int
    title: str
    status_id: int
    status: str
    status_kind: str
    author_id: int
    author: str
    created_at: datetime
    updated_at: datetime
    total: int  # minor units
    currency: str
    item_count: int


@dataclass(frozen=True)
class OrderPage:
    rows: list[OrderRow]
    page: int
    pages: int
    total: int
    capped: bool  # more than COUNT_CAP match: the pager stops there


@dataclass(frozen=True)
class OrderView:
    """An order as one viewer sees it: its fields, where it may go next, and the conversation with the shop."""

    order: RequestRecord
    status: StatusRow
    next_statuses: list[StatusRow]  # empty unless the viewer is staff
    fields: tuple[FieldDef, ...]
    values: dict[str, Any]
    conversation_id: int | None
    messages: list[MessageRow]
    is_staff: bool

    @property
    def items(self) -> list[Item]:
        return [item for field in self.fields if field.kind == 'items' for item in items_of(self.values.get(field.key))]

    @property
    def total(self) -> int:
        return int(self.values.get(TOTAL, total(self.items)))

    @property
    def currency(self) -> str:
        return next((field.currency for field in self.fields if field.kind == 'items'), '')


class OrderService:
    def __init__(self, uow: UnitOfWorkFactory, requests: RequestService) -> None:
        self.uow = uow
        self.requests = requests  # its shared viewer cache checks who is signed in (RequestService.signed_in)
        self.pages: Coalescer[OrderPage] = Coalescer()  # forgotten on every request event (see Desk.build)
        self.forms: Coalescer[OrderForm] = Coalescer()  # the queue's fields raise no event: 30 s at most

    async def form(self) -> OrderForm:
        return await self.forms.get(ORDERS, self._form)

    async def _form(self) -> OrderForm:
        async with self.uow() as uow:
            queue = await uow.workflows.queue_by_name(ORDERS)
            if queue is None:
                raise NotFound('The Orders queue is missing: the database was not migrated.')
            fields = definitions(await uow.workflows.queue_fields(queue.id))
            return OrderForm(queue.id, fields, await uow.workflows.statuses(queue.workflow_id))

    async def create(self, *, actor_id: int | None, title: str, description: str = '',
                     values: Mapping[str, Any] | None = None, channel: str = 'web') -> int:
        """File an order; its items' total is computed and kept with it."""
        form = await self.form()
        return await self.requests.create_in(actor_id=actor_id, queue_id=form.queue_id, title=title,
                                             description=description, values=values, channel=channel)

    async def list(self, *, viewer_id: int | None, query: OrderQuery) -> OrderPage:
        """A page of orders, newest first: a customer's own, or every order for staff (one read serves them all)."""
        viewer = await self._viewer(viewer_id)
        key = (query, None if permissions.is_staff(viewer) else viewer.id)
        return await self.pages.get(key, lambda: self._list(viewer, query))

    async def _list(self, viewer: UserRow, query: OrderQuery) -> OrderPage:
        form = await self.form()
        where = _where(form, viewer, query.status_id)
        async with self.uow() as uow:
            count = await uow.requests.count(where)
            pages = max(1, math.ceil(min(count, COUNT_CAP) / PAGE_SIZE))
            page = min(max(1, query.page), pages)
            rows = await _rows(uow, form, await uow.requests.page(where, offset=(page - 1) * PAGE_SIZE,
                                                                  limit=PAGE_SIZE))
        return OrderPage(rows, page, pages, min(count, COUNT_CAP), count > COUNT_CAP)

    async def browse(self, *, viewer_id: int | None, status_id: int | None = None,
                     after: tuple[datetime, int] | None = None, limit: int = PAGE_SIZE) -> Slice[OrderRow]:
        """Orders created before the one with this (time, id), uncounted: for clients paging by key (the API)."""
        viewer = await self._viewer(viewer_id)
        form = await self.form()
        limit = bounded(limit)
        async with self.uow() as uow:
            rows = await uow.requests.page(_where(form, viewer, status_id), offset=0, limit=limit + 1, after=after)
            return sliced(await _rows(uow, form, rows), limit)

    async def open(self, *, viewer_id: int | None, order_id: int) -> OrderView:
        form = await self.form()
        async with self.uow() as uow:
            viewer = await access.signed_in(uow, viewer_id)
            record = await _order(uow, form, viewer, order_id)
            workflow = await access.workflow(uow, record.workflow_id)
            values = (await uow.requests.fields_of([record.id])).get(record.id, {})
            conversation_id = await uow.conversations.staff_conversation(record.id)
            staff = permissions.is_staff(viewer)
            messages = await uow.conversations.messages(conversation_id, include_notes=staff) \
                if conversation_id else []
        moves = workflow.next_statuses(record.status_id) if permissions.can_change_status(viewer, record) else []
        return OrderView(record, workflow.status(record.status_id), moves, form.fields, values, conversation_id,
                         messages, staff)

    async def write(self, *, actor_id: int | None, order_id: int, text: str) -> MessageRow:
        """The customer writes to the shop about their order; staff answer as on any ticket (TicketService.reply)."""
        text = checked_text(text)
        try:
            return await self._write(actor_id, order_id, text)
        except ConstraintConflict:  # another tab started the conversation at the same moment: join it
            return await self._write(actor_id, order_id, text)

    async def _write(self, actor_id: int | None, order_id: int, text: str) -> MessageRow:
        form = await self.form()
        async with self.uow(write=True) as uow:
            actor = await access.signed_in(uow, actor_id)
            record = await _order(uow, form, actor, order_id)
            if actor.id != record.author_id:
                raise PermissionDenied('You are not part of this conversation.')
            conversation_id = await uow.conversations.staff_conversation(record.id) or \
                await uow.conversations.add(request_id=record.id, counterpart_id=None, participant_ids=[actor.id])
            await uow.requests.touch(record.id)
            await uow.requests.set_staff_unread(record.id, True)
            message = await uow.conversations.add_message(conversation_id=conversation_id, request_id=record.id,
                                                          author_id=actor.id, body=text)
            uow.events.add('message.posted', actor_id=actor.id, request_id=record.id,
                           conversation_id=conversation_id, message_id=message.id)
            uow.emit(MessagePosted(record.id, conversation_id, message.id, actor.id))
            uow.emit(RequestChanged(record.id, record.queue_id))
            await uow.commit()
        return message

    async def _viewer(self, viewer_id: int | None) -> UserRow:
        return await self.requests.signed_in(viewer_id=viewer_id)


async def _order(uow: UnitOfWork, form: OrderForm, viewer: UserRow, order_id: int) -> RequestRecord:
    record = await uow.requests.record(order_id)
    # Another customer's order looks exactly like a missing one, so ids cannot be probed.
    if record is None or record.queue_id != form.queue_id or not permissions.can_read(viewer, record):
        raise NotFound('This order does not exist.')
    return record


def _where(form: OrderForm, viewer: UserRow, status_id: int | None) -> RequestFilter:
    """Staff see every order; a customer only their own (served by the author index)."""
    author_id = None if permissions.is_staff(viewer) else viewer.id
    return RequestFilter(queue_id=form.queue_id, status_id=status_id, author_id=author_id)


async def _rows(uow: UnitOfWork, form: OrderForm, rows: list[RequestRow]) -> list[OrderRow]:
    values = await uow.requests.fields_of([row.id for row in rows])
    items_key = next((field.key for field in form.fields if field.kind == 'items'), None)
    found = []
    for row in rows:
        stored = values.get(row.id, {})
        items = items_of(stored.get(items_key)) if items_key else []
        found.append(OrderRow(row.id, row.title, row.status_id, row.status, row.status_kind, row.author_id,
                              row.author, row.created_at, row.updated_at, int(stored.get(TOTAL, total(items))),
                              form.currency, len(items)))
    return found
