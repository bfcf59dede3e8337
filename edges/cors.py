"""CORS for the API only, and only for the origins the settings name: without any, no CORS headers at all."""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

EXPOSED = ['Retry-After', 'X-Request-ID']  # a browser script may read these on an answer, 429s included


class ApiCorsMiddleware:
    """Starlette's CORSMiddleware on paths under `prefix`; pages, files and the socket go straight through."""

    def __init__(self, app: ASGIApp, *, origins: list[str], prefix: str = '/api/') -> None:
        self.app = app
        self.prefix = prefix
        # Bearer tokens, not cookies, authenticate the API: no credentials, so "*" stays safe to configure.
        self.cors = CORSMiddleware(app, allow_origins=origins, allow_methods=['*'],
                                   allow_headers=['Authorization', 'Content-Type', 'X-Request-ID'],
                                   expose_headers=EXPOSED, max_age=600)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Only a browser's cross-origin request has an Origin header; the rest skip CORS's header parsing.
        if scope['type'] == 'http' and scope['path'].startswith(self.prefix) and _has_origin(scope):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _has_origin(scope: Scope) -> bool:
    return any(name == b'origin' for name, _value in scope['headers'])
