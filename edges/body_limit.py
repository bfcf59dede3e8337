"""Request bodies bounded per route: refused by their Content-Length before a byte is read, or cut off at the limit.

Without it a 200 MB password was read into memory and a 300 MB upload spooled to disk before its 401. File uploads
(the API's multipart route, NiceGUI's uploader) take the upload limit; everything else the small one. An upload to
the API is also refused before its body when it carries no valid bearer token, since FastAPI reads a route's body
before it runs the route's dependencies (the token check among them).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)
Peek = Callable[[str], int | None]  # access token -> user id when valid, without touching the database
KB, MB = 1024, 1024 * 1024


@dataclass(frozen=True)
class BodyRoute:
    """Paths matching `pattern` take `limit` bytes; with `bearer`, only behind a valid bearer token."""

    pattern: re.Pattern[str]
    limit: int
    bearer: bool = False


class BodyTooLarge(HTTPException):
    """Raised from `receive` once the body passes the limit: the app's handlers answer 413 in their shape."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f'The request body is larger than {size_text(limit)}, the most this endpoint takes.')


class BodyLimitMiddleware:
    """Websockets pass untouched: their messages are no request body (socket.io bounds them itself)."""

    def __init__(self, app: ASGIApp, *, limit: int, routes: tuple[BodyRoute, ...] = (), peek: Peek | None = None
                 ) -> None:
        self.app = app
        self.limit = limit
        self.routes = routes
        self.peek = peek

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        route = next((route for route in self.routes if route.pattern.fullmatch(scope['path'])), None)
        limit = route.limit if route else self.limit
        length, authorization = _headers(scope)
        if route is not None and route.bearer and not self._signed_in(authorization):
            await _answer(send, 401, 'not_signed_in', 'Sign in first: send Authorization: Bearer <access token>.',
                          [(b'www-authenticate', b'Bearer')])
            return
        if length is not None and length > limit:
            await _answer(send, 413, 'too_large', BodyTooLarge(limit).detail)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message['type'] == 'http.request':
                received += len(message.get('body', b''))
                if received > limit:  # chunked, or longer than it said: stop reading here
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message['type'] == 'http.response.start'
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge as error:
            if started:  # the app answered before it read everything; nothing left to say
                raise
            await _answer(send, 413, 'too_large', error.detail)

    def _signed_in(self, authorization: bytes | None) -> bool:
        if self.peek is None or authorization is None or authorization[:7].lower() != b'bearer ':
            return False
        try:
            return self.peek(authorization[7:].strip().decode('latin-1')) is not None
        except Exception:  # a broken token check refuses the upload; the route's own check would have too
            log.exception('bearer token check failed')
            return False


def size_text(limit: int) -> str:
    if limit < MB:
        return f'{limit // KB} KB'
    return f'{limit // MB} MB' if limit % MB == 0 else f'{limit / MB:.1f} MB'


def _headers(scope: Scope) -> tuple[int | None, bytes | None]:
    length: int | None = None
    authorization: bytes | None = None
    for name, value in scope['headers']:
        if name == b'content-length':
            length = int(value) if value.isdigit() else None
        elif name == b'authorization':
            authorization = value
    return length, authorization


async def _answer(send: Send, status: int, code: str, message: str,
                  headers: list[tuple[bytes, bytes]] | None = None) -> None:
    # The API's error shape everywhere: pages never send bodies this large, scripts and the uploader read JSON.
    body = json.dumps({'error': {'code': code, 'message': message}}).encode()
    await send({'type': 'http.response.start', 'status': status,
                'headers': [(b'content-type', b'application/json'), (b'content-length', str(len(body)).encode()),
                            (b'connection', b'close'), *(headers or [])]})
    await send({'type': 'http.response.body', 'body': body})
