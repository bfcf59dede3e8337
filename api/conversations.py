"""/api/v1/requests/{id}/conversations: respond, read and write messages; staff replies and notes on tickets."""

from __future__ import annotations

from fastapi import APIRouter, Response

from . import pagination
from .deps import DEFAULT_LIMIT, CurrentUser, Cursor, DeskDep, IdPath, Limit
from .documented import BLANK_TEXT, NO_CONVERSATION, NO_REQUEST, SIGN_IN, STAFF, errors
from .errors import COMMON, ApiRoute
from .schemas import Page
from .schemas_requests import ConversationOut, MessageIn, MessageOut, ReplyIn, messages_json

router = APIRouter(prefix='/requests/{request_id}', tags=['conversations'], route_class=ApiRoute,
                   responses=COMMON)


@router.get('/conversations', summary="List a request's conversations", responses=errors(SIGN_IN | NO_REQUEST))
async def list_conversations(request_id: IdPath, user: CurrentUser, desk: DeskDep, cursor: Cursor = None,
                             limit: Limit = DEFAULT_LIMIT) -> Page[ConversationOut]:
    """The request's conversations you may read: all of them for its author and staff, else your own."""
    rows = await desk.conversations.of_request(viewer_id=user.id, request_id=request_id)
    page, next_cursor = pagination.offset_page(rows, cursor, limit)
    return Page(items=[ConversationOut.model_validate(row) for row in page], next_cursor=next_cursor)


@router.post('/conversations', status_code=201, summary='Respond to a request', responses=errors(
    SIGN_IN | NO_REQUEST | BLANK_TEXT
    | {403: 'You cannot respond to your own request; answer a response instead.'}))
async def respond(request_id: IdPath, body: MessageIn, user: CurrentUser, desk: DeskDep) -> MessageOut:
    """Respond to someone else's public request: starts your conversation with its author (or adds to it)."""
    return MessageOut.of(await desk.conversations.post(actor_id=user.id, request_id=request_id, text=body.text))


@router.get('/conversations/{conversation_id}/messages', response_model=Page[MessageOut],
            summary='Read a conversation',
            responses=errors(SIGN_IN | NO_CONVERSATION | {403: 'You are not part of this conversation.'}))
async def list_messages(request_id: IdPath, conversation_id: IdPath, user: CurrentUser, desk: DeskDep,
                        cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT) -> Response:
    """Messages in the order they were written, from the first (or after the cursor); notes for staff only."""
    found = pagination.decode(cursor, int)
    after_id: int = found[0] if found else 0
    rows = await desk.conversations.messages_after(viewer_id=user.id, request_id=request_id,
                                                   conversation_id=conversation_id, after_id=after_id,
                                                   limit=limit + 1, from_start=True)
    page = rows[:limit]
    next_cursor = pagination.encode(page[-1].id) if len(rows) > limit else None
    return Response(messages_json(page, next_cursor), media_type='application/json')  # see messages_json


@router.post('/conversations/{conversation_id}/messages', status_code=201, summary='Write in a conversation',
             responses=errors(SIGN_IN | NO_CONVERSATION | BLANK_TEXT
                              | {403: 'This request is closed. Reopen it to continue the conversation.'}))
async def post_message(request_id: IdPath, conversation_id: IdPath, body: MessageIn, user: CurrentUser,
                       desk: DeskDep) -> MessageOut:
    """Write in a conversation you take part in (the request's author, or the one who responded)."""
    message = await desk.conversations.post(actor_id=user.id, request_id=request_id, text=body.text,
                                            conversation_id=conversation_id)
    return MessageOut.of(message)


@router.post('/replies', status_code=201, summary="Answer a ticket's customer, or add a note",
             responses=errors(STAFF | NO_REQUEST | BLANK_TEXT))
async def reply(request_id: IdPath, body: ReplyIn, user: CurrentUser, desk: DeskDep) -> MessageOut:
    """Staff answer a support ticket's customer (taking the ticket if nobody has), or add an internal note."""
    return MessageOut.of(await desk.tickets.reply(actor_id=user.id, request_id=request_id, text=body.text,
                                                  note=body.note))
