"""Until start-up work is done (migrations, demo seeding), pages and the API answer 503 with Retry-After."""

from __future__ import annotations

import json
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

RETRY_AFTER = 1  # seconds; seeding the demo takes about one at production's bcrypt cost
EXEMPT = frozenset({'/healthz', '/readyz', '/metrics'})  # probes and scrapers say for themselves how things are
API_BODY = json.dumps({'error': {'code': 'starting', 'message': 'Starting up; try again in a moment.'}}).encode()
PAGE_BODY = (b'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="1"><title>Switchboard</title>'
             b'<p>Switchboard is starting; this page reloads in a moment.</p>')


class StartGateMiddleware:
    """Refuses HTTP requests until `started()` says yes, then lets everything through for good at no cost."""

    # Without it the first page answered while the demo users were still being created, so signing in as them
    # said "Wrong username or password" for about a second after start.

    def __init__(self, app: ASGIApp, *, started: Callable[[], bool], api_prefix: str = '/api/') -> None:
        self.app = app
        self.started = started
        self.api_prefix = api_prefix
        self.open = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.open or scope['type'] != 'http' or scope['path'] in EXEMPT:
            await self.app(scope, receive, send)
            return
        if self.started():
            self.open = True
            await self.app(scope, receive, send)
            return
        api = scope['path'].startswith(self.api_prefix)
        body, kind = (API_BODY, b'application/json') if api else (PAGE_BODY, b'text/html; charset=utf-8')
        await send({'type': 'http.response.start', 'status': 503,
                    'headers': [(b'content-type', kind), (b'content-length', str(len(body)).encode()),
                                (b'retry-after', str(RETRY_AFTER).encode()), (b'cache-control', b'no-store')]})
        await send({'type': 'http.response.body', 'body': body})
