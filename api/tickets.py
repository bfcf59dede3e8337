"""/api/v1/tickets: requests in every queue with the inbox's filters, filing, status, assignment, replies, files."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from fastapi.responses import FileResponse

from domain.files import MAX_FILES, Upload
from domain.tickets.queues import TicketQuery, UserRef

from . import pagination
from .deps import DEFAULT_LIMIT, CurrentUser, Cursor, DeskDep, IdPath, Limit
from .documented import BLANK_TEXT, FILES, MOVE, NO_FILE, NO_REQUEST, SIGN_IN, STAFF, WHO_MAY_MOVE, errors
from .errors import COMMON, ApiRoute
from .files import FILE
from .schemas import MAX_ID, Page
from .schemas_requests import Kind, MessageOut, ReplyIn, StatusChangeIn, messages_json
from .schemas_tickets import (
    AssignIn,
    Channel,
    DateTime,
    TicketIn,
    TicketOut,
    TicketPage,
    UserFilter,
    page_json,
)

router = APIRouter(prefix='/tickets', tags=['tickets'], route_class=ApiRoute, responses=COMMON)
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Moment = Annotated[DateTime | None, Query(description='ISO 8601; without a zone, UTC')]


@router.get('', response_model=TicketPage, summary='List tickets in every queue', responses=errors(
    SIGN_IN | {404: ('This queue does not exist.', 'queue_id'),
               422: ('This cursor was not handed out here; start again without one.', 'cursor')}))
async def list_tickets(
        user: CurrentUser, desk: DeskDep, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT,
        queue_id: QueryId = None, status_id: QueryId = None,
        kind: Annotated[list[Kind] | None, Query(max_length=3, description='Any status of these kinds (repeat it)')
                        ] = None,
        assignee: Annotated[UserFilter | None, Query(description='"me", "none", a user id or username')] = None,
        customer: Annotated[UserFilter | None, Query(description='"me", a user id or username')] = None,
        channel: Annotated[Channel | None, Query(description='web, telegram, api, ...')] = None,
        search: Annotated[str, Query(max_length=200, description="Words in the title or the customer's username")] = '',
        created_from: Moment = None, created_to: Moment = None, updated_from: Moment = None, updated_to: Moment = None,
        sort: Annotated[Literal['created', 'updated'], Query(description='By this time')] = 'updated',
        order: Annotated[Literal['asc', 'desc'], Query()] = 'desc') -> Response:
    """Tickets you may see in every queue (staff: all; a customer: their own, or a public queue's by `queue_id`).

    `*_from` is inclusive, `*_to` exclusive. `counts` holds the count per status for the same filters."""
    query = TicketQuery(queue_id=queue_id, status_id=status_id, kinds=tuple(kind or ()), assignee=_user(assignee),
                        customer=_user(customer), channel=channel, search=search, created_from=created_from,
                        created_to=created_to, updated_from=updated_from, updated_to=updated_to, sort=sort,
                        descending=order == 'desc')
    last = pagination.decode(cursor, str, str, datetime, int)
    if last is not None and last[:2] != [sort, order]:  # a cursor of another order would skip rows
        raise pagination.bad_cursor()
    found = await desk.queue_tickets.browse(viewer_id=user.id, query=query, limit=limit, counted=last is None,
                                            after=(last[2], last[3]) if last else None)
    next_cursor = None
    if found.more:
        row = found.rows[-1]
        moment = row.updated_at if sort == 'updated' else row.created_at
        next_cursor = pagination.encode(sort, order, moment.isoformat(), row.id)
    # Written as TicketPage would be, not validated again: see page_json. The schema is response_model's.
    return Response(page_json(found.rows, next_cursor, found.counts), media_type='application/json')


@router.post('', status_code=201, summary='File a ticket', responses=errors(
    SIGN_IN | {403: 'Only staff file tickets for someone else.', 404: ('This queue does not exist.', 'queue_id'),
               409: ('Jane already has an open ticket in Support.', 'queue_id'), 422: ('Enter a title.', 'title')}))
async def file_ticket(body: TicketIn, user: CurrentUser, desk: DeskDep) -> TicketOut:
    """File a ticket in a queue you may file in; staff may file it for a customer."""
    ticket_id = await desk.queue_tickets.file(actor_id=user.id, queue_id=body.queue_id, title=body.title,
                                              text=body.text, customer=body.customer)
    return await _ticket(desk, user.id, ticket_id)


@router.get('/{ticket_id}', summary='Read a ticket', responses=errors(SIGN_IN | NO_REQUEST))
async def get_ticket(ticket_id: IdPath, user: CurrentUser, desk: DeskDep) -> TicketOut:
    """One ticket, with what you may do with it."""
    return await _ticket(desk, user.id, ticket_id)


@router.post('/{ticket_id}/status', summary="Change a ticket's status",
             responses=errors(SIGN_IN | WHO_MAY_MOVE | NO_REQUEST | MOVE))
async def change_status(ticket_id: IdPath, body: StatusChangeIn, user: CurrentUser, desk: DeskDep) -> TicketOut:
    """Move the ticket to a status its workflow allows from the current one (its customer or staff)."""
    return TicketOut.of(await desk.requests.change_status(actor_id=user.id, request_id=ticket_id,
                                                          status_id=body.status_id))


@router.post('/{ticket_id}/assign', summary='Assign a ticket', responses=errors(
    STAFF | NO_REQUEST | {422: ('Tickets go to active agents only.', 'assignee')}))
async def assign(ticket_id: IdPath, body: AssignIn, user: CurrentUser, desk: DeskDep) -> TicketOut:
    """Give the ticket to a staff member, or to nobody (staff)."""
    await desk.queue_tickets.assign(actor_id=user.id, request_id=ticket_id, assignee=body.assignee)
    return await _ticket(desk, user.id, ticket_id)


@router.post('/{ticket_id}/take', summary='Take a ticket', responses=errors(STAFF | NO_REQUEST))
async def take(ticket_id: IdPath, user: CurrentUser, desk: DeskDep) -> TicketOut:
    """Take the ticket yourself (staff)."""
    await desk.tickets.take(actor_id=user.id, request_id=ticket_id)
    return await _ticket(desk, user.id, ticket_id)


@router.post('/{ticket_id}/replies', status_code=201, summary='Reply in a ticket, or add a note', responses=errors(
    SIGN_IN | NO_REQUEST | BLANK_TEXT | {403: 'Internal notes are for staff only.'}))
async def reply(ticket_id: IdPath, body: ReplyIn, user: CurrentUser, desk: DeskDep) -> MessageOut:
    """Write in the ticket's thread: staff answer (it reaches Telegram as from the page) or add an internal note;
    its customer writes to staff."""
    return MessageOut.of(await desk.queue_tickets.write(actor_id=user.id, request_id=ticket_id, text=body.text,
                                                        note=body.note))


@router.get('/{ticket_id}/messages', response_model=Page[MessageOut], summary="Read a ticket's thread",
            responses=errors(SIGN_IN | NO_REQUEST | {403: 'You are not part of this conversation.'}))
async def list_messages(ticket_id: IdPath, user: CurrentUser, desk: DeskDep, cursor: Cursor = None,
                        limit: Limit = DEFAULT_LIMIT) -> Response:
    """The ticket's thread with staff, oldest first; internal notes for staff only."""
    found = pagination.decode(cursor, int)
    messages = await desk.queue_tickets.messages(viewer_id=user.id, request_id=ticket_id,
                                                 after_id=found[0] if found else 0, limit=limit)
    next_cursor = pagination.encode(messages.rows[-1].id) if messages.more else None
    # Written as Page[MessageOut] would be, not validated again: see messages_json. The schema is response_model's.
    return Response(messages_json(messages.rows, next_cursor), media_type='application/json')


@router.post('/{ticket_id}/files', status_code=201, summary='Reply in a ticket with files', responses=errors(
    SIGN_IN | NO_REQUEST | FILES | {403: 'This ticket is closed. Reopen it to continue the conversation.'}))
async def upload(ticket_id: IdPath, user: CurrentUser, desk: DeskDep,
                 files: Annotated[list[UploadFile], File(min_length=1, max_length=MAX_FILES,
                                                         description='One or more files')],
                 text: Annotated[str, Form(description='The message the files come with',
                                           examples=['The log from this morning'])] = '',
                 note: Annotated[bool, Form(description='Staff: an internal note the customer never sees',
                                            examples=[False])] = False,
                 ) -> MessageOut:
    """Write in the ticket's thread with files, as /replies does; the pages' limits apply."""
    uploads = [Upload(file.filename or '', await file.read(desk.files.limits.max_bytes + 1), file.content_type or '')
               for file in files]  # one byte past the limit is enough to refuse; the rest is never held
    return MessageOut.of(await desk.queue_tickets.write(actor_id=user.id, request_id=ticket_id, text=text,
                                                        note=note, files=uploads))


@router.get('/{ticket_id}/files/{attachment_id}', response_class=FileResponse, summary="Download a ticket's file",
            responses={200: FILE} | errors(SIGN_IN | NO_FILE))
async def download(ticket_id: IdPath, attachment_id: IdPath, user: CurrentUser, desk: DeskDep) -> FileResponse:
    """A file of the ticket's messages you may read."""
    attachment, path = await desk.files.open(viewer_id=user.id, attachment_id=attachment_id, request_id=ticket_id)
    return FileResponse(path, media_type=attachment.content_type, filename=attachment.filename,
                        headers={'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, max-age=3600'})


async def _ticket(desk: DeskDep, viewer_id: int, ticket_id: int) -> TicketOut:
    return TicketOut.of(await desk.requests.open(viewer_id=viewer_id, request_id=ticket_id))


def _user(ref: str | None) -> UserRef | None:
    """'me', 'none', an id, or a username; digits past the largest id name nobody, as an unknown username does."""
    if ref is not None and ref.isascii() and ref.isdigit() and int(ref) <= MAX_ID:
        return int(ref)
    return ref
