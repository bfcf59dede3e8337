"""Per HTTP request: a request id (kept or made), one access log line, and its count and latency for /metrics."""

from __future__ import annotations

import logging
import os
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .http_stats import HttpStats
from .logs import REQUEST_ID
from .routes import RouteLabels

access_log = logging.getLogger('switchboard.access')
# An id from a proxy or client is kept when it is short and plain; it ends up in logs, so nothing else.
_SANE_ID = re.compile(r'[A-Za-z0-9._:-]{1,128}')
QUIET_PATHS = frozenset({'/healthz', '/readyz', '/metrics'})  # probes and scrapes, every few seconds: DEBUG


class ObserveMiddleware:
    """Outermost of ours, so its duration covers the rate limit and CORS; websocket scopes pass untouched."""

    def __init__(self, app: ASGIApp, *, stats: HttpStats) -> None:
        self.app = app
        self.stats = stats
        self.route_label = RouteLabels()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or os.urandom(16).hex()  # as unique as a uuid4, cheaper
        id_header = (b'x-request-id', request_id.encode())
        status = 500  # if the app fails before it answers, the server answers 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message['type'] == 'http.response.start':
                status = message['status']
                message['headers'] = [*message.get('headers', ()), id_header]
            await send(message)

        token = REQUEST_ID.set(request_id)
        start = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - start
            method, path = scope['method'], scope['path']  # the path without its query, which may hold secrets
            self.stats.observe(method, self.route_label(scope), status, seconds)
            level = logging.DEBUG if path in QUIET_PATHS else logging.INFO
            if access_log.isEnabledFor(level):
                access_log.log(level, '%s %s %d %.1f ms', method, path, status, seconds * 1000,
                               extra={'method': method, 'path': path, 'status': status,
                                      'duration_ms': round(seconds * 1000, 1)})
            REQUEST_ID.reset(token)


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope['headers']:
        if name == b'x-request-id':
            text = value.decode('latin-1')
            return text if _SANE_ID.fullmatch(text) else None
    return None
