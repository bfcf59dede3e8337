"""Rate limits on the API: per user (valid bearer token) or per client address; stricter on sign-in endpoints."""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from settings import Rate

from .buckets import TokenBuckets
from .client_ip import ClientAddress

log = logging.getLogger(__name__)
Peek = Callable[[str], int | None]  # access token -> user id when valid, without touching the database
AUTH_PATHS = frozenset({'/api/v1/auth/token', '/api/v1/auth/refresh', '/api/v1/auth/register'})


class RateLimitMiddleware:
    """Answers 429 with Retry-After and the API's error shape; other scopes and paths pass through untouched."""

    def __init__(self, app: ASGIApp, *, api: Rate, auth: Rate, client_address: ClientAddress | None = None,
                 peek: Peek | None = None, prefix: str = '/api/', auth_paths: frozenset[str] = AUTH_PATHS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.api = TokenBuckets(api, clock=clock)
        self.auth = TokenBuckets(auth, clock=clock)
        self.client_address = client_address or ClientAddress()
        self.peek = peek
        self.prefix = prefix
        self.auth_paths = auth_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http' or not scope['path'].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        address = self.client_address(scope)
        wait = 0.0
        if scope['path'].rstrip('/') in self.auth_paths:  # password and token guesses: held per address
            wait = self.auth.take(address)
        if not wait:
            user_id = self._user_id(scope)
            # A signed-in user has a budget of their own, not shared with everyone behind the same NAT.
            wait = self.api.take(address if user_id is None else user_id)
        if wait:
            await _too_many(send, wait)
            return
        await self.app(scope, receive, send)

    def _user_id(self, scope: Scope) -> int | None:
        if self.peek is None:
            return None
        for name, value in scope['headers']:
            if name == b'authorization':
                if value[:7].lower() != b'bearer ':
                    return None
                try:
                    return self.peek(value[7:].strip().decode('latin-1'))
                except Exception:  # a broken token check must not take the whole API down
                    log.exception('bearer token check failed')
                    return None
        return None


async def _too_many(send: Send, wait: float) -> None:
    retry_after = max(1, math.ceil(wait))
    body = json.dumps({'error': {'code': 'rate_limited',
                                 'message': f'Too many requests; try again in {retry_after} s.'}}).encode()
    await send({'type': 'http.response.start', 'status': 429,
                'headers': [(b'content-type', b'application/json'), (b'content-length', str(len(body)).encode()),
                            (b'retry-after', str(retry_after).encode())]})
    await send({'type': 'http.response.body', 'body': body})
