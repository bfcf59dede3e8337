"""The route template a request was served by, never the raw path, so the number of metric series stays bounded."""

from __future__ import annotations

from typing import Any

from starlette.types import Scope


class RouteLabels:
    """Callable on a scope after the app has handled it."""

    def __init__(self) -> None:
        self._templates: dict[int, str] = {}  # id(endpoint) -> path template, for routes that leave no 'route'
        self._routes_seen = -1

    def __call__(self, scope: Scope) -> str:
        path: str = scope['path']
        if path.startswith('/_nicegui/'):  # NiceGUI's scripts, styles and components
            return '/_nicegui/*'
        if path.startswith('/_nicegui_ws/'):  # socket.io when it falls back to long polling
            return '/_nicegui_ws/*'
        template = _api_template(scope) or self._plain_template(scope)
        if template is not None:
            return template
        if path.startswith('/api/'):  # no such route, or turned away before routing (rate limit)
            return '/api/*'
        if 'nicegui_page_path' in scope:  # the single-page app answers every other path with its root page
            return '<page>'
        return '<unmatched>'

    def _plain_template(self, scope: Scope) -> str | None:
        # FastAPI leaves only 'endpoint' in the scope for plain Starlette routes and mounts (/healthz, /favicon.ico):
        # look it up among the app's routes, read again only when their number changed.
        endpoint = scope.get('endpoint')
        if endpoint is None:
            return None
        template = self._templates.get(id(endpoint))
        routes: list[Any] = getattr(scope.get('app'), 'routes', [])
        if template is None and len(routes) != self._routes_seen:
            self._routes_seen = len(routes)
            for route in routes:
                target = getattr(route, 'endpoint', None) or getattr(route, 'app', None)
                if target is not None and isinstance(getattr(route, 'path_format', None), str):
                    self._templates.setdefault(id(target), route.path_format)
            template = self._templates.get(id(endpoint))
        return template


def _api_template(scope: Scope) -> str | None:
    # FastAPI (0.141+) keeps an included router as one lazy route, and the matched route's own path then lacks
    # the router's prefix; the full template sits in FastAPI's part of the scope. A route on the app itself is whole.
    context = scope.get('fastapi', {}).get('effective_route_context')
    template = getattr(context, 'path_format', None) or getattr(scope.get('route'), 'path_format', None)
    return template if isinstance(template, str) else None
