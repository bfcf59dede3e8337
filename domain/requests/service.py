"""Requests: create, list, open and move along their workflow."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from domain import access, permissions
from domain.coalesce import MANY_KEYS, Coalescer
from domain.errors import Conflict, ConstraintConflict, InvalidInput, NotFound, NotSignedIn, PermissionDenied
from domain.events import RequestChanged, RequestCreated
from domain.last_rows import LastRows
from domain.queues.workflow import Workflow
from domain.requests.fields import checked_values, definitions
from domain.slices import Slice, bounded, sliced
from domain.text import storable
from storage.requests import COUNT_CAP, RequestFilter
from storage.rows import QueueRow, RequestRecord, RequestRow, StatusRow, UserRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

PAGE_SIZE = 25
TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
SORTS = ('created', 'updated')


@dataclass(frozen=True)
class RequestQuery:
    status_id: int | None = None
    mine: bool = False
    search: str = ''
    sort: str = 'created'
    descending: bool = True
    page: int = 1


@dataclass(frozen=True)
class RequestPage:
    rows: list[RequestRow]
    page: int
    pages: int
    total: int
    capped: bool  # more than COUNT_CAP match: the pager stops there
    queue_id: int  # the board's: changes to other queues' requests never show here


@dataclass(frozen=True)
class RequestView:
    """A request as one viewer may see and act on it."""

    request: RequestRecord
    status: StatusRow
    next_statuses: list[StatusRow]  # empty when the viewer may not change the status
    can_respond: bool
    is_author: bool


class RequestService:
    def __init__(self, uow: UnitOfWorkFactory, viewers: Coalescer[UserRow | None] | None = None) -> None:
        self.uow = uow
        # Users by id, forgotten whenever a user's rights change.
        self.viewers = viewers or Coalescer(max_keys=MANY_KEYS)
        self.pages: Coalescer[RequestPage] = Coalescer()  # forgotten on every request event (see Desk.build)
        # By request id; a request's own events forget its entry (see Desk.build).
        self.records: Coalescer[tuple[RequestRecord | None, Workflow | None]] = Coalescer(max_keys=MANY_KEYS)
        self._rows: LastRows[RequestRow] = LastRows()

    async def board(self) -> QueueRow:
        async with self.uow() as uow:
            return await access.board(uow)

    async def statuses(self) -> list[StatusRow]:
        """The board workflow's statuses, in order (from memory: see storage.catalog)."""
        async with self.uow() as uow:
            board = await access.board(uow)
            return await uow.workflows.statuses(board.workflow_id)

    async def create(self, *, actor_id: int | None, title: str, description: str = '', status_id: int | None = None,
                     channel: str = 'web') -> int:
        title, description = checked_title(title), checked_description(description)
        actor = await self.signed_in(viewer_id=actor_id)  # from memory, as for every read
        async with self.uow(write=True) as uow:
            board = await access.board(uow)
            workflow = await access.workflow(uow, board.workflow_id)
            status = workflow.status(status_id) if status_id is not None else workflow.initial
            request_id = await uow.requests.add(queue_id=board.id, title=title, description=description,
                                                status_id=status.id, author_id=actor.id, channel=channel,
                                                closed=status.kind == 'closed')
            uow.events.add('request.created', actor_id=actor.id, request_id=request_id, channel=channel,
                           status=status.name)
            uow.emit(RequestCreated(request_id, board.id))
            record = uow.requests.added(request_id, queue=board, author=actor.display_name)
            await uow.commit()
        # What the API answers with next: remembered as read (publishing at commit forgot this id, if anything)
        self.records.put(request_id, (record, workflow))
        return request_id

    async def create_in(self, *, actor_id: int | None, queue_id: int, title: str, description: str = '',
                        values: Mapping[str, Any] | None = None, channel: str = 'web') -> int:
        """File a request in a queue (not a support desk's), with values for its own fields: an order's items."""
        title, description = checked_title(title), checked_description(description)
        async with self.uow(write=True) as uow:
            actor = await access.signed_in(uow, actor_id)
            queue = await uow.queue_admin.queue(queue_id)
            if queue is None or queue.one_open_per_author:  # a support desk's tickets open through its chat
                raise NotFound('This queue does not exist.', field='queue')
            stored = checked_values(definitions(await uow.workflows.queue_fields(queue.id)), values or {})
            status = (await access.workflow(uow, queue.workflow_id)).initial
            request_id = await uow.requests.add(queue_id=queue.id, title=title, description=description,
                                                status_id=status.id, author_id=actor.id, channel=channel,
                                                closed=status.kind == 'closed', fields=stored)
            uow.events.add('request.created', actor_id=actor.id, request_id=request_id, channel=channel,
                           status=status.name)
            uow.emit(RequestCreated(request_id, queue.id))
            await uow.commit()
        return request_id

    async def list(self, *, viewer_id: int | None, query: RequestQuery) -> RequestPage:
        """A page of the board; the same page for every viewer unless it is "Mine", so reads are shared."""
        if query.sort not in SORTS:
            raise InvalidInput('Unknown sort order.', field='sort')
        key = (query, viewer_id if query.mine else None)
        return await self.pages.get(key, lambda: self._list(viewer_id, query))

    async def _list(self, viewer_id: int | None, query: RequestQuery) -> RequestPage:
        async with self.uow() as uow:
            where = await _where(uow, viewer_id, query)
            total = await uow.requests.count(where)
            pages = max(1, math.ceil(min(total, COUNT_CAP) / PAGE_SIZE))
            page = min(max(1, query.page), pages)
            rows = await uow.requests.page(where, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        return RequestPage([self._rows.kept(row) for row in rows], page, pages, min(total, COUNT_CAP),
                           total > COUNT_CAP, where.queue_id)

    async def browse(self, *, viewer_id: int | None, query: RequestQuery, after: tuple[datetime, int] | None = None,
                     limit: int = PAGE_SIZE) -> Slice[RequestRow]:
        """Board rows after the row with this (sort time, id), uncounted: for clients paging by key (the API)."""
        if query.sort not in SORTS:
            raise InvalidInput('Unknown sort order.', field='sort')
        limit = bounded(limit)
        async with self.uow() as uow:
            where = await _where(uow, viewer_id, query)
            rows = await uow.requests.page(where, offset=0, limit=limit + 1, after=after)
        return sliced(rows, limit)

    async def row(self, *, viewer_id: int | None, request_id: int) -> RequestRow | None:
        """One list row, or None when the viewer may not see the request."""
        async with self.uow() as uow:
            record = await uow.requests.record(request_id)
            viewer = await access.viewer(uow, viewer_id)
            if record is None or not permissions.can_read(viewer, record):
                return None
            return await uow.requests.row(request_id)

    async def open(self, *, viewer_id: int | None, request_id: int) -> RequestView:
        """The request as this viewer may see and act on it; the request itself is read once for all viewers."""
        record, workflow = await self.records.get(request_id, lambda: self._record(request_id))
        viewer = await self.viewers.get(viewer_id, lambda: self._viewer(viewer_id))
        if record is None or not permissions.can_read(viewer, record):
            raise NotFound('This request does not exist.')  # as for a missing one: ids cannot be probed
        assert workflow is not None  # read with its record
        return _view(viewer, record, workflow)

    async def record(self, request_id: int) -> RequestRecord | None:
        """The request as rules and alerts need it, from memory until its own events forget it; no viewer check:
        for services, never for showing."""
        record, _workflow = await self.records.get(request_id, lambda: self._record(request_id))
        return record

    async def person(self, user_id: int) -> UserRow | None:
        """A user as the shared viewer cache knows them (active or not): for services deciding who acted."""
        return await self.viewers.get(user_id, lambda: self._viewer(user_id))

    async def signed_in(self, *, viewer_id: int | None) -> UserRow:
        """The signed-in, active viewer, from memory until their account changes."""
        viewer = await self.viewers.get(viewer_id, lambda: self._viewer(viewer_id)) if viewer_id else None
        if viewer is None or not viewer.is_active:
            raise NotSignedIn('Your session has ended. Sign in again to continue.')
        return viewer

    async def readable(self, *, viewer_id: int | None, request_id: int) -> tuple[UserRow, RequestRecord]:
        """The signed-in viewer and a request they may read, from memory while neither changed (the hot path of
        every open conversation re-reading after a message)."""
        viewer = await self.signed_in(viewer_id=viewer_id)
        record, _workflow = await self.records.get(request_id, lambda: self._record(request_id))
        if record is None or not permissions.can_read(viewer, record):
            raise NotFound('This request does not exist.')
        return viewer, record

    async def _viewer(self, viewer_id: int | None) -> UserRow | None:
        async with self.uow() as uow:
            return await access.viewer(uow, viewer_id)

    async def _record(self, request_id: int) -> tuple[RequestRecord | None, Workflow | None]:
        async with self.uow() as uow:
            record = await uow.requests.record(request_id)
            return record, await access.workflow(uow, record.workflow_id) if record else None

    async def change_status(self, *, actor_id: int | None, request_id: int, status_id: int) -> RequestView:
        """Move the request to another status; returns it as the actor sees it now, from what was written: the
        API answered by reading the whole request again, with a connection of its own."""
        actor = await self.signed_in(viewer_id=actor_id)  # from memory until their account changes, as in open()
        async with self.uow(write=True) as uow:
            record = await access.readable_request(uow, actor, request_id)
            if not permissions.can_change_status(actor, record):
                raise PermissionDenied('Only the author or staff can change the status.')
            moved = await move_status(uow, record, status_id, actor_id=actor.id)
            workflow = await access.workflow(uow, record.workflow_id)
            await uow.commit()
        return _view(actor, moved, workflow)


async def move_status(uow: UnitOfWork, record: RequestRecord, status_id: int, *, actor_id: int | None,
                      channel: str = 'web', **data: Any) -> RequestRecord:
    """Move a request along its workflow in the caller's transaction; who may was checked by the caller (a rule:
    `actor_id` None). The workflow's transitions and the one-open-request rule hold for everyone. Returns the
    request as it now is."""
    workflow = await access.workflow(uow, record.workflow_id)
    source = workflow.status(record.status_id)
    target = workflow.check_transition(record.status_id, status_id)
    closed = target.kind == 'closed'
    open_key = record.author_id if record.one_open_per_author and not closed else None
    try:
        moved_at = await uow.requests.set_status(record.id, target.id, closed=closed, open_key=open_key)
    except ConstraintConflict:
        raise Conflict('The author already has another open request in this queue.', field='status') from None
    uow.events.add('status.changed', actor_id=actor_id, request_id=record.id, channel=channel,
                   **{'from': source.name, 'to': target.name}, **data)
    uow.emit(RequestChanged(record.id, record.queue_id))
    return replace(record, status_id=target.id, updated_at=moved_at, closed_at=moved_at if closed else None)


async def _where(uow: UnitOfWork, viewer_id: int | None, query: RequestQuery) -> RequestFilter:
    board = await access.board(uow)
    author_id = (await access.signed_in(uow, viewer_id)).id if query.mine else None
    return RequestFilter(queue_id=board.id, status_id=query.status_id, author_id=author_id,
                         title_contains=storable(query.search).strip()[:TITLE_MAX], sort=query.sort,
                         descending=query.descending)


def checked_title(title: str) -> str:
    title = storable(title).strip()
    if not title:
        raise InvalidInput('Enter a title.', field='title')
    if len(title) > TITLE_MAX:
        raise InvalidInput('At most {max} characters (now {length}).', field='title', max=TITLE_MAX,
                           length=len(title))
    return title


def checked_description(description: str) -> str:
    description = storable(description).strip()
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput('At most {max} characters (now {length}).', field='description',
                           max=DESCRIPTION_MAX, length=len(description))
    return description


def _view(viewer: UserRow | None, record: RequestRecord, workflow: Workflow) -> RequestView:
    may_change = permissions.can_change_status(viewer, record)
    return RequestView(
        request=record,
        status=workflow.status(record.status_id),
        next_statuses=workflow.next_statuses(record.status_id) if may_change else [],
        can_respond=permissions.can_respond(viewer, record),
        is_author=viewer is not None and viewer.id == record.author_id,
    )
