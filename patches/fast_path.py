"""The API's own way into the app: /api requests skip the middleware the pages need and the API does not.

NiceGUI adds GZip, session cookies, prefix redirects, cache headers and request tracking around the whole app;
two of them are BaseHTTPMiddleware, which runs every request in an extra task and streams its response through
memory channels. On the profile of bench/api_load.py that was about a fifth of the server's time per API call,
for nothing the API uses. So /api requests take a shorter stack: the same error handling, our edges (request
ids and logs, CORS, rate limits), the app's exception handlers and its router: what FastAPI's own
`build_middleware_stack` builds for the app with only those of its middleware. Everything else takes the app's
full stack (with patches.abandoned around it). While the patch is not installed, every request takes the full stack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from . import abandoned
from .guard import Switch, Versions, broken, guarding

VERIFIED = {'fastapi': Versions('>=0.165.0,<0.166'), 'starlette': Versions('>=1.10.0,<1.11')}
log = logging.getLogger(__name__)
_switch = Switch()
install, uninstall, installed = _switch.install, _switch.uninstall, _switch.installed


def route(app: FastAPI, *, prefix: str, edges: Iterable[type]) -> None:
    """Before the first request: while the patch is installed, `prefix` goes through the app's `edges` middleware
    only (decided when Starlette builds the stack, on the first request). The rest takes the full stack, quiet
    about clients that left while patches.abandoned is installed.

    Safe to call on every start of the app in one process (the test runner): the original builder is kept.
    """
    build_full: Callable[[], ASGIApp] = getattr(app.build_middleware_stack, 'full', app.build_middleware_stack)
    kept = tuple(edges)

    def build() -> ASGIApp:
        full = abandoned.quiet(build_full())
        if not _switch.on:
            return full
        fast = api_stack(app, kept)

        async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
            if scope['type'] == 'http' and scope['path'].startswith(prefix):
                await fast(scope, receive, send)
            else:
                await full(scope, receive, send)
        return dispatch

    build.full = build_full  # type: ignore[attr-defined]
    app.build_middleware_stack = build  # type: ignore[method-assign]


def api_stack(app: FastAPI, edges: tuple[type, ...]) -> ASGIApp:
    """What FastAPI's own builder makes of the app with only `edges` of its middleware: its error handling, body
    limit and exception middleware stay whatever this FastAPI release puts there."""
    everything = app.user_middleware
    app.user_middleware = [entry for entry in everything if entry.cls in edges]
    try:
        return FastAPI.build_middleware_stack(app)  # the class's, not the instance's `build` above
    finally:
        app.user_middleware = everything


def layers(stack: ASGIApp) -> list[type]:
    """The middleware classes of a built stack, outermost first, found through each one's `.app`."""
    found: list[type] = []
    node: object = stack
    while hasattr(node, 'app') and len(found) < 100:
        found.append(type(node))
        node = node.app  # type: ignore[attr-defined]
    return found


class _Edge:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app


class _PageOnly(_Edge):
    pass


def check() -> None:
    """The API's stack is the stack FastAPI itself builds for the app, minus the middleware the API skips."""
    with guarding('fastapi', VERIFIED, "building the API's short middleware stack"):
        app = FastAPI()
        app.add_middleware(_Edge)
        app.add_middleware(_PageOnly)  # outermost, as NiceGUI's are
        full = layers(FastAPI.build_middleware_stack(app))
        short = layers(api_stack(app, (_Edge,)))
        names = [cls.__name__ for cls in full]
    expected = [cls for cls in full if cls is not _PageOnly]
    if _Edge not in full or _PageOnly not in full or short != expected:
        raise broken('fastapi', VERIFIED, f'FastAPI builds {names} for an app with two middleware; the API\'s '
                     f'stack is {[cls.__name__ for cls in short]}, not that minus _PageOnly')
