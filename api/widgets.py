"""/api/v1/widgets: admins create, read, change and delete chat widgets, and rotate their secrets."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from . import pagination
from .deps import DEFAULT_LIMIT, CurrentUser, Cursor, DeskDep, IdPath, Limit
from .documented import errors
from .errors import RESPONSES, ApiRoute
from .schemas import Page
from .schemas_widgets import SecretOut, WidgetIn, WidgetOut

router = APIRouter(prefix='/widgets', tags=['widgets'], route_class=ApiRoute, responses=RESPONSES)
ADMINS = {401: 'Sign in first: send an access token.', 403: 'Only admins manage chat widgets.'}
GONE = {404: 'This widget does not exist.'}
INVALID = {422: ('"https://shop.example.com/page" is no website origin: write scheme://host[:port], as '
                 'https://shop.example.com, with no path.', 'origins')}


def desk_url(request: Request) -> str:
    """Where browsers reach the desk: PUBLIC_URL when the app knows it, else the address this call came to."""
    return getattr(request.app.state, 'public_url', None) or str(request.base_url).rstrip('/')


@router.get('', summary='List the chat widgets', responses=errors(ADMINS))
async def list_widgets(request: Request, user: CurrentUser, desk: DeskDep, cursor: Cursor = None,
                       limit: Limit = DEFAULT_LIMIT) -> Page[WidgetOut]:
    """Every widget, oldest first, with the snippets to paste and its secret (admins)."""
    page, next_cursor = pagination.offset_page(await desk.widgets.all(actor_id=user.id), cursor, limit)
    secrets = await desk.widgets.secrets(actor_id=user.id, widget_ids=[widget.id for widget in page])
    return Page(items=[WidgetOut.of(widget, desk_url(request), secrets[widget.id]) for widget in page],
                next_cursor=next_cursor)


@router.post('', status_code=201, summary='Create a chat widget', responses=errors(ADMINS | INVALID))
async def create_widget(request: Request, body: WidgetIn, user: CurrentUser, desk: DeskDep) -> WidgetOut:
    """A new widget, its snippets, and its secret (admins)."""
    widget, secret = await desk.widgets.create(actor_id=user.id, draft=body.draft())
    return WidgetOut.of(widget, desk_url(request), secret)


@router.get('/{widget_id}', summary='Read a chat widget', responses=errors(ADMINS | GONE))
async def get_widget(request: Request, widget_id: IdPath, user: CurrentUser, desk: DeskDep) -> WidgetOut:
    """One widget, its snippets and its secret (admins)."""
    widget = await desk.widgets.get(actor_id=user.id, widget_id=widget_id)
    secrets = await desk.widgets.secrets(actor_id=user.id, widget_ids=[widget.id])
    return WidgetOut.of(widget, desk_url(request), secrets[widget.id])


@router.put('/{widget_id}', summary='Change a chat widget', responses=errors(ADMINS | GONE | INVALID))
async def change_widget(request: Request, widget_id: IdPath, body: WidgetIn, user: CurrentUser,
                        desk: DeskDep) -> WidgetOut:
    """Every setting at once; the public key, and so the snippet, stay (admins)."""
    widget = await desk.widgets.change(actor_id=user.id, widget_id=widget_id, draft=body.draft())
    secrets = await desk.widgets.secrets(actor_id=user.id, widget_ids=[widget.id])
    return WidgetOut.of(widget, desk_url(request), secrets[widget.id])


@router.post('/{widget_id}/secret', summary="Rotate a chat widget's secret", responses=errors(ADMINS | GONE))
async def rotate_secret(widget_id: IdPath, user: CurrentUser, desk: DeskDep) -> SecretOut:
    """A new secret; identities the host site signed with the old one are refused from now on (admins)."""
    return SecretOut(secret=await desk.widgets.regenerate_secret(actor_id=user.id, widget_id=widget_id))


@router.delete('/{widget_id}', status_code=204, response_class=Response, summary='Delete a chat widget',
               responses=errors(ADMINS | GONE))
async def delete_widget(widget_id: IdPath, user: CurrentUser, desk: DeskDep) -> None:
    """Its snippet stops working; its conversations stay in their queue (admins)."""
    await desk.widgets.delete(actor_id=user.id, widget_id=widget_id)
