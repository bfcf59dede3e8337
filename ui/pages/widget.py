"""/widget/{key}: the chat other sites frame, for anonymous visitors; /widget/{key}/loader.js puts it on their page.

A third-party frame gets none of the app's SameSite=Lax cookies and storage partitioned by the host site, so
nothing here reads the session or app.storage.user: a signed visitor token (from the loader or this frame's own
storage) names the visitor. The answer says which sites may frame it (CSP frame-ancestors, edges/security_headers.py
keeps a route's own), and refuses in words when the host page is plainly not one of them.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import HTTPException
from fastapi.responses import FileResponse, Response
from nicegui import app, ui
from starlette.requests import Request

from domain.desk import Desk
from domain.errors import NotFound
from domain.widgets.checks import normal_origin, origin_of
from domain.widgets.visitors import Context, InvalidVisitor, allowed_origin
from storage.widgets import WidgetRow

from ..components.attachments import COMPOSER_CSS
from ..components.widget_chat import WidgetChatPane
from ..i18n import from_accept_language, language, set_language, t
from ..live import LiveTab
from ..tab import Tab

STATIC = Path(__file__).parent.parent / 'static'
LOADER = STATIC / 'widget-loader.js'
FRAME_STORAGE = f'<script>{(STATIC / "frame-storage.js").read_text()}</script>'  # before NiceGUI's own script
THEMES = ('light', 'dark')


PAGE = re.compile(r'^/widget/([A-Za-z0-9_-]{1,32})/?$')


async def widget_page(desk: Desk, request: Request, key: str, *, default_language: str = 'en') -> Response:
    """The widget's page, built by the app's root for a path PAGE matches: no header, no session, its own frame
    policy. (An @ui.page of its own would make NiceGUI's test harness drop the whole `ui` package between tests.)"""
    query = request.query_params
    theme, lang, origin, token = (query.get(name, '') for name in ('theme', 'lang', 'origin', 'vt'))
    ui.add_head_html(FRAME_STORAGE)
    ui.add_css(COMPOSER_CSS)  # as the app's frame does (ui/app.py)
    ui.page_title('Chat')
    widget = await desk.widgets.public(key)
    set_language(from_accept_language(lang or request.headers.get('accept-language'), default_language))
    ui.dark_mode(theme == 'dark' if theme in THEMES else None)
    client = ui.context.client
    client.content.classes('p-0 gap-0')
    if widget is None:
        ui.label(t('This chat does not exist.')).classes('p-4')
        return client.build_response(request, 404)
    ui.colors(primary=widget.accent)
    own = origin_of(str(request.base_url))
    host = normal_origin(origin) or origin_of(request.headers.get('referer'))
    if host is not None and host != own and not allowed_origin(widget, host):
        ui.label(t('This chat is not enabled for this site.')).classes('p-4 text-negative').mark('refused')
        return _framed_by(client.build_response(request, 403), widget)
    await _chat(desk, widget, token=token or None, host=host if host != own else None,
                context=Context(page_url=query.get('page') or request.headers.get('referer', ''),
                                referrer=query.get('ref', ''),
                                language=lang or request.headers.get('accept-language', '').split(',')[0],
                                address=_address(request), shown_in=language()))
    return _framed_by(client.build_response(request), widget)


def register(desk: Desk) -> None:
    """The widget's other routes: its files for the visitor, and the loader script for the host page."""
    @app.get('/widget/{key}/files/{attachment_id}', include_in_schema=False)
    async def download(key: str, attachment_id: int, vt: str = '') -> FileResponse:
        """A file of the visitor's conversations, for the visitor the token names (a frame has no session)."""
        widget = await desk.widgets.public(key)
        try:
            visitor_id = await desk.widget_chat.visitor(widget, vt) if widget is not None else None
            if visitor_id is None:
                raise NotFound('This file does not exist.')
            # A visitor signed in inside the widget acts as their account: still only files of this widget's queue.
            attachment, path = await desk.files.open(viewer_id=visitor_id, attachment_id=attachment_id,
                                                     queue_id=widget.queue_id if widget is not None else None)
        except (NotFound, InvalidVisitor) as error:
            raise HTTPException(status_code=404, detail='This file does not exist.') from error
        return FileResponse(path, media_type=attachment.content_type, filename=attachment.filename,
                            content_disposition_type='inline' if attachment.is_image else 'attachment',
                            headers={'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, max-age=3600'})

    @app.get('/widget/{key}/loader.js', include_in_schema=False)
    async def loader(key: str) -> Response:
        """The launcher for the host page: a few lines of plain script, served for widgets that exist."""
        widget = await desk.widgets.public(key)
        if widget is None:
            raise HTTPException(status_code=404, detail='This chat does not exist.')
        script = LOADER.read_text().replace('__ACCENT__', widget.accent)  # checked: #rrggbb
        return Response(script, media_type='text/javascript; charset=utf-8',
                        headers={'Cache-Control': 'public, max-age=300'})


async def _chat(desk: Desk, widget: WidgetRow, *, token: str | None, host: str | None, context: Context) -> None:
    client = ui.context.client
    try:
        visitor = await desk.widget_chat.session(widget, token)
    except InvalidVisitor:
        visitor, token = None, None  # a stale or forged token: a new visitor, once they write
    tab = Tab(desk=desk, user=None, live=LiveTab(desk.hub, client), storage={}, address=context.address)
    with ui.row().classes('w-full items-center px-4 py-3 bg-primary text-white no-wrap gap-2') \
            .mark('widget-header') as header:
        ui.label(widget.name).classes('text-subtitle1 text-weight-medium ellipsis')
    with ui.column().classes('w-full gap-2 p-3'):
        if widget.greeting:
            ui.label(widget.greeting).classes('text-body2 whitespace-pre-wrap').mark('greeting')
        pane = WidgetChatPane(tab, widget, token=token, context=context, host_origin=host, header=header)
        if visitor is not None and visitor.external_id is None:
            await pane.become(visitor, token or '')
        # A visitor the host site named is shown only once the page has the site's word again (after '#').
    client.on_connect(pane.arrived)  # the frame's own storage and the fragment answer once the page is connected
    client.on_delete(tab.close)


def _framed_by(response: Response, widget: WidgetRow) -> Response:
    """Only the widget's websites (and the desk itself, for the admin's preview) may frame this answer."""
    response.headers['Content-Security-Policy'] = ' '.join(("frame-ancestors 'self'", *widget.origins))
    return response


def _address(request: Request) -> str:
    address = getattr(app.state, 'client_address', None)  # as the rate limits see it (edges/wiring.py)
    if address is not None:
        return address(request.scope)
    return request.client.host if request.client else 'unknown'
