"""The API's own way into the app: /api requests skip the middleware the pages need and the API does not.

NiceGUI adds GZip, session cookies, prefix redirects, cache headers and request tracking around the whole app;
two of them are BaseHTTPMiddleware, which runs every request in an extra task and streams its response through
memory channels. On the profile of bench/api_load.py that was about a fifth of the server's time per API call,
for nothing the API uses. So /api requests take a shorter stack: the same error handling, our edges (request
ids and logs, CORS, rate limits), the app's exception handlers and its router. Everything else takes the app's
full stack, where a request the browser abandoned before its answer began is not logged as a server error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from fastapi import FastAPI
from fastapi.middleware.asyncexitstack import AsyncExitStackMiddleware
from starlette.middleware import Middleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

try:  # FastAPI's request body cap (newer releases); the API keeps it where the app has it
    from fastapi._body_limit import AppBodyLimitMiddleware
except ImportError:  # pragma: no cover - older FastAPI
    AppBodyLimitMiddleware = None  # type: ignore[assignment,misc]

log = logging.getLogger(__name__)


def install(app: FastAPI, *, prefix: str, edges: Iterable[type]) -> None:
    """Before the first request: route `prefix` through the app's `edges` middleware only.

    Safe to call on every start of the app in one process (the test runner): the original builder is kept.
    """
    build_full: Callable[[], ASGIApp] = getattr(app.build_middleware_stack, 'full', app.build_middleware_stack)
    kept = tuple(edges)

    def build() -> ASGIApp:
        full, fast = abandonable(build_full()), _api_stack(app, kept)

        async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
            if scope['type'] == 'http' and scope['path'].startswith(prefix):
                await fast(scope, receive, send)
            else:
                await full(scope, receive, send)
        return dispatch

    build.full = build_full  # type: ignore[attr-defined]
    app.build_middleware_stack = build  # type: ignore[method-assign]


def abandonable(app: ASGIApp) -> ASGIApp:
    """`app`, except that a request whose client left before any answer began ends quietly.

    Starlette's BaseHTTPMiddleware (two of NiceGUI's) raises "No response returned." when the response under it
    stops at the client's disconnect, as a file response does when the browser navigates away while a script is
    still loading: there is nobody left to answer, and it is no fault of the server's.
    """
    async def call(scope: Scope, receive: Receive, send: Send) -> None:
        left = False

        async def watched() -> Message:
            nonlocal left
            message = await receive()
            left = left or message['type'] == 'http.disconnect'
            return message

        try:
            await app(scope, watched, send)
        except RuntimeError as error:
            if not left or str(error) != 'No response returned.':
                raise
            log.info('%s %s: the client left before the answer began', scope.get('method'), scope.get('path'))
    return call


def _api_stack(app: FastAPI, edges: tuple[type, ...]) -> ASGIApp:
    """What FastAPI builds (fastapi.applications.FastAPI.build_middleware_stack), minus others' middleware."""
    error_handler = app.exception_handlers.get(500) or app.exception_handlers.get(Exception)
    handlers = {key: value for key, value in app.exception_handlers.items() if key not in (500, Exception)}
    middleware = [Middleware(ServerErrorMiddleware, handler=error_handler, debug=app.debug)]
    if AppBodyLimitMiddleware is not None:
        middleware.append(Middleware(AppBodyLimitMiddleware, max_body_size=app.max_body_size))
    middleware += [entry for entry in app.user_middleware if entry.cls in edges]
    middleware += [Middleware(ExceptionMiddleware, handlers=handlers, debug=app.debug),
                   Middleware(AsyncExitStackMiddleware)]
    stack: ASGIApp = app.router
    for cls, args, kwargs in reversed(middleware):
        stack = cls(stack, *args, **kwargs)
    return stack

