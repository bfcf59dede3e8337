"""A page's client keeps a copy of its request, not the request the middleware stack handed the page.

NiceGUI keeps the page request in `Client.request` (and in `storage.request_contextvar`, which every element's
event listener and the client's outbox task copy) for the tab's whole life. That request's `receive` is a closure
of Starlette's BaseHTTPMiddleware (NiceGUI's own middleware are three of them), which holds the middleware's
`_CachedRequest`, anyio streams and events, FastAPI's exit stacks and, through uvicorn's `receive`, the HTTP
connection: about 200 objects in reference cycles per tab. patches.gc_policy freezes them with the live tab, so
every closed tab left them for the 15-minute sweep: bench/soak.py grew 18.5 MB a minute. The copy reads the
same headers, cookies, session, URL, client address and route; it cannot receive or send, which a built page
never does (a page that reads the body does so from the request it is given, not from its client).
"""

from __future__ import annotations

from typing import Any

from nicegui import Client, storage
from nicegui.page import page
from starlette.requests import Request

from .guard import Versions, broken, guarding

VERIFIED = {'nicegui': Versions('>=3.18.0,<3.19'), 'starlette': Versions('>=1.10.0,<1.11')}
# What a page, NiceGUI (sub-page routing, 404 and error pages, user storage) and our pages read from the request;
# everything else in the scope (FastAPI's exit stacks, anyio's streams) belongs to the request's handling.
KEPT = frozenset({'type', 'asgi', 'http_version', 'method', 'scheme', 'server', 'client', 'root_path', 'path',
                  'raw_path', 'query_string', 'headers', 'session', 'state', 'app', 'router', 'route', 'endpoint',
                  'path_params', 'auth', 'user', 'fastapi', 'nicegui_page_path'})
_original_init = Client.__init__


def detached(request: Request) -> Request:
    """A request with the same scope values the page reads and no way to receive or send."""
    return Request({key: value for key, value in request.scope.items() if key in KEPT})


def _init(self: Client, page: page, *, request: Request | None = None) -> None:
    if request is None:
        _original_init(self, page)
        return
    copy = detached(request)
    # The outbox task and every event listener made while the page builds copy this variable: they get the copy.
    storage.request_contextvar.set(copy)
    _original_init(self, page, request=copy)
    request.scope['nicegui_page_path'] = page.path  # NiceGUI's exception handlers read it from the original


def install() -> None:
    Client.__init__ = _init  # type: ignore[method-assign]


def uninstall() -> None:
    Client.__init__ = _original_init  # type: ignore[method-assign]


def installed() -> bool:
    return Client.__init__ is _init


def check() -> None:
    """A client made for a request keeps it (with the patch: a copy without the request's handling), marks the page
    path in its scope and reads its headers, session and client address from the scope."""
    with guarding('nicegui', VERIFIED, "a page client's request"):
        scope: dict[str, Any] = {'type': 'http', 'method': 'GET', 'path': '/probe', 'query_string': b'',
                                 'headers': [(b'accept-language', b'de')], 'client': ('10.0.0.1', 5),
                                 'session': {'id': 'guard'}, 'server': ('testserver', 80), 'scheme': 'http',
                                 'fastapi_astack': object()}
        request = Request(scope)
        was_installed = installed()
        install()
        try:
            client = Client(page('/probe'), request=request)
        finally:
            if not was_installed:
                uninstall()
        try:
            kept = client.request
            if kept is request or 'fastapi_astack' in kept.scope:
                raise broken('nicegui', VERIFIED, 'Client no longer keeps the request it is given')
            if kept.scope.get('nicegui_page_path') != '/probe' or request.scope.get('nicegui_page_path') != '/probe':
                raise broken('nicegui', VERIFIED, 'Client no longer marks its page path in the request scope')
            if (kept.headers.get('accept-language'), kept.session['id'], client.ip) != ('de', 'guard', '10.0.0.1'):
                raise broken('nicegui', VERIFIED, "a client's request no longer reads headers, session and "
                             'client address from its scope')
        finally:
            client.delete()
