"""The API's own way into the app: /api requests skip the middleware the pages need and the API does not.

NiceGUI adds GZip, session cookies, prefix redirects, cache headers and request tracking around the whole app;
two of them are BaseHTTPMiddleware, which runs every request in an extra task and streams its response through
memory channels. On the profile of bench/api_load.py that was about a fifth of the server's time per API call,
for nothing the API uses. So /api requests take a shorter stack: the same error handling, our edges (request
ids and logs, CORS, rate limits), the app's exception handlers and its router: what FastAPI's own
`build_middleware_stack` builds for the app with only those of its middleware. Everything else takes the app's
full stack (with patches.abandoned around it). While the patch is not installed, every request takes the full stack.

Inside that stack, an API call goes straight to the routers of its path's first segment after the API prefix
(`/api/v1/tickets/…`: the routers with a route under /tickets), not to the app's router: FastAPI matches a path
by trying every route of the app in order, each included router's routes in turn, and then matches the chosen
router's routes once more to handle it; with the pages' routes and fourteen API routers in front, finding the
route cost more of a cached GET /tickets/{id} than the call's own work. A path no segment router matches (a 404,
a redirect for a trailing slash) goes on to the app's router, which decides as it always did.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from . import abandoned
from .guard import Switch, Versions, broken, guarding

VERIFIED = {'fastapi': Versions('>=0.165.0,<0.166'), 'starlette': Versions('>=1.10.0,<1.11')}
log = logging.getLogger(__name__)
_switch = Switch()
install, uninstall, installed = _switch.install, _switch.uninstall, _switch.installed


def routers(app: FastAPI, prefix: str, included: Iterable[APIRouter]) -> None:
    """The API's routers, each included in the app under `prefix` (api.install): what the short stack routes to."""
    app.state.fast_path_routers = (prefix, tuple(included))


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
        fast = api_stack(app, kept, router=by_segment(app))

        async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
            if scope['type'] == 'http' and scope['path'].startswith(prefix):
                await fast(scope, receive, send)
            else:
                await full(scope, receive, send)
        return dispatch

    build.full = build_full  # type: ignore[attr-defined]
    app.build_middleware_stack = build  # type: ignore[method-assign]


def api_stack(app: FastAPI, edges: tuple[type, ...], router: ASGIApp | None = None) -> ASGIApp:
    """What FastAPI's own builder makes of the app with only `edges` of its middleware: its error handling, body
    limit and exception middleware stay whatever this FastAPI release puts there; innermost `router` if given
    instead of the app's."""
    everything, own = app.user_middleware, app.router
    app.user_middleware = [entry for entry in everything if entry.cls in edges]
    if router is not None:
        app.router = router  # type: ignore[assignment]  # the builder wraps whatever `app.router` is
    try:
        return FastAPI.build_middleware_stack(app)  # the class's, not the instance's `build` above
    finally:
        app.user_middleware, app.router = everything, own


def by_segment(app: FastAPI) -> ASGIApp | None:
    """The app's router behind a shortcut for the API's paths (see the module); None without routers.py's list."""
    prefix, included = getattr(app.state, 'fast_path_routers', ('', ()))
    if not included:
        return None
    taken = tuple(getattr(r, 'path', '') for r in app.router.routes if getattr(r, 'path', '').startswith(prefix))
    segments: dict[str, list[APIRouter]] = {}
    for router in included:
        for segment in dict.fromkeys(_segment(getattr(r, 'path', '')) for r in router.routes):
            segments.setdefault(segment, []).append(router)
    if '' in segments or any('{' in segment for segment in segments) or taken:
        return None  # a route that may match any first segment, or one of the app's own under the prefix

    async def fallback(scope: Scope, receive: Receive, send: Send) -> None:
        scope.pop('router', None)  # the app's router names itself, as it would have from the start
        await app.router(scope, receive, send)

    shortcuts: dict[str, ASGIApp] = {}
    for segment, found in segments.items():
        router = APIRouter(redirect_slashes=False, default=fallback, dependency_overrides_provider=app)
        for included_router in found:
            router.include_router(included_router, prefix=prefix)
        shortcuts[segment] = router
    start = len(prefix) + 1

    async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope['path'] if scope['type'] == 'http' else ''
        shortcut = shortcuts.get(path[start:].split('/', 1)[0]) if path.startswith(prefix + '/') else None
        await (shortcut or app.router)(scope, receive, send)
    return dispatch


def _segment(path: str) -> str:
    return path.lstrip('/').split('/', 1)[0]


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
        inner = _innermost(api_stack(app, (_Edge,), router=_Edge(app.router)))
    expected = [cls for cls in full if cls is not _PageOnly]
    if _Edge not in full or _PageOnly not in full or short != expected:
        raise broken('fastapi', VERIFIED, f'FastAPI builds {names} for an app with two middleware; the API\'s '
                     f'stack is {[cls.__name__ for cls in short]}, not that minus _PageOnly')
    if not isinstance(inner, _Edge):
        raise broken('fastapi', VERIFIED, f'the stack built around `app.router` ends in {inner!r}, not in the '
                     'router it was given')


def _innermost(stack: ASGIApp) -> object:
    """The last app of a built stack: the first one whose `.app` is no middleware's inner app."""
    node: object = stack
    for _ in range(100):
        if isinstance(node, _Edge) or not hasattr(node, 'app'):
            return node
        node = node.app  # type: ignore[attr-defined]
    return node
