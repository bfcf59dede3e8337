"""/api/v1/support: a customer's support chat — read it, write in it (which opens a ticket when none is open)."""

from __future__ import annotations

from fastapi import APIRouter

from .deps import CurrentUser, DeskDep
from .documented import BLANK_TEXT, SIGN_IN, errors
from .errors import COMMON, ApiRoute
from .schemas_requests import MessageIn, MessageOut, SupportChatOut

router = APIRouter(prefix='/support', tags=['support'], route_class=ApiRoute, responses=COMMON)


@router.get('', summary='Read my support chat', responses=errors(SIGN_IN))
async def chat(user: CurrentUser, desk: DeskDep) -> SupportChatOut:
    """Your recent support tickets and their messages, oldest first."""
    return SupportChatOut.of(await desk.support.chat(viewer_id=user.id))


@router.post('/messages', status_code=201, summary='Write to support', responses=errors(SIGN_IN | BLANK_TEXT))
async def write(body: MessageIn, user: CurrentUser, desk: DeskDep) -> MessageOut:
    """Write to support: added to your open ticket, or opening a new one."""
    return MessageOut.of(await desk.support.write(actor_id=user.id, text=body.text, channel='api'))
