"""/api/v1/requests: the board's requests — create, read, list like the list page, move along, assign."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from domain.requests.service import RequestQuery

from . import pagination
from .deps import DEFAULT_LIMIT, CurrentUser, Cursor, DeskDep, IdPath, Limit
from .documented import MOVE, NO_REQUEST, SIGN_IN, STAFF, WHO_MAY_MOVE, errors
from .errors import COMMON, ApiRoute
from .schemas import MAX_ID, Page
from .schemas_requests import AssigneeIn, RequestIn, RequestOut, RequestRowOut, StatusChangeIn

router = APIRouter(prefix='/requests', tags=['requests'], route_class=ApiRoute, responses=COMMON)


@router.get('', summary='List the board', responses=errors(
    SIGN_IN | {422: ('This cursor was not handed out here; start again without one.', 'cursor')}))
async def list_requests(
        user: CurrentUser, desk: DeskDep, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT,
        status_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
        mine: Annotated[bool, Query(description='Only requests you wrote')] = False,
        search: Annotated[str, Query(max_length=200, description='Words in the title, any case')] = '',
        sort: Annotated[Literal['created', 'updated'], Query(description='Newest first by this time')] = 'created',
        order: Annotated[Literal['asc', 'desc'], Query()] = 'desc') -> Page[RequestRowOut]:
    """The board, as the list page shows it: filtered by status, yours only, title search; newest first."""
    query = RequestQuery(status_id=status_id, mine=mine, search=search, sort=sort, descending=order == 'desc')
    last = pagination.decode(cursor, str, str, datetime, int)
    if last is not None and last[:2] != [sort, order]:  # a cursor of another order would skip rows
        raise pagination.bad_cursor()
    found = await desk.requests.browse(viewer_id=user.id, query=query, limit=limit,
                                       after=(last[2], last[3]) if last else None)
    next_cursor = None
    if found.more:
        row = found.rows[-1]
        moment = row.updated_at if sort == 'updated' else row.created_at
        next_cursor = pagination.encode(sort, order, moment.isoformat(), row.id)
    return Page(items=[RequestRowOut.model_validate(row) for row in found.rows], next_cursor=next_cursor)


@router.post('', status_code=201, summary='File a request on the board', responses=errors(
    SIGN_IN | {404: ('This status does not exist in the workflow.', 'status'), 422: ('Enter a title.', 'title')}))
async def create_request(body: RequestIn, user: CurrentUser, desk: DeskDep) -> RequestOut:
    """File a request on the board."""
    request_id = await desk.requests.create(actor_id=user.id, title=body.title, description=body.description,
                                            status_id=body.status_id, channel='api')
    return RequestOut.of(await desk.requests.open(viewer_id=user.id, request_id=request_id))


@router.get('/{request_id}', summary='Read a request', responses=errors(SIGN_IN | NO_REQUEST))
async def get_request(request_id: IdPath, user: CurrentUser, desk: DeskDep) -> RequestOut:
    """One request, with what you may do with it."""
    return RequestOut.of(await desk.requests.open(viewer_id=user.id, request_id=request_id))


@router.post('/{request_id}/status', summary="Change a request's status",
             responses=errors(SIGN_IN | WHO_MAY_MOVE | NO_REQUEST | MOVE))
async def change_status(request_id: IdPath, body: StatusChangeIn, user: CurrentUser, desk: DeskDep) -> RequestOut:
    """Move the request to another status its workflow allows from the current one (author or staff)."""
    return RequestOut.of(await desk.requests.change_status(actor_id=user.id, request_id=request_id,
                                                           status_id=body.status_id))


@router.put('/{request_id}/assignee', summary='Assign a request', responses=errors(
    STAFF | NO_REQUEST | {422: ('Tickets go to active agents only.', 'assignee')}))
async def assign(request_id: IdPath, body: AssigneeIn, user: CurrentUser, desk: DeskDep) -> RequestOut:
    """Give the request to an agent, or to nobody (staff)."""
    await desk.tickets.assign(actor_id=user.id, request_id=request_id, assignee_id=body.assignee_id)
    return RequestOut.of(await desk.requests.open(viewer_id=user.id, request_id=request_id))
