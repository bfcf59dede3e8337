"""A page request whose client left before any answer began ends quietly, not as a server error.

Starlette's BaseHTTPMiddleware (two of NiceGUI's) raises `RuntimeError("No response returned.")` when the response
under it stops at the client's disconnect, as a file response does when the browser navigates away while a script
is still loading: there is nobody left to answer, and it is no fault of the server's, yet uvicorn logs it as an
ERROR. The wrapper recognises that case by Starlette's message, which is the private part. Not a speed-up, so
PATCHES=off leaves it on; Starlette outside the verified range takes it off (the error is then logged again).
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .guard import Switch, Versions, broken, guarding

VERIFIED = {'starlette': Versions('>=1.10.0,<1.11')}
SPEED_UP = False
NO_RESPONSE = 'No response returned.'  # BaseHTTPMiddleware.call_next's message
log = logging.getLogger(__name__)
_switch = Switch()
install, uninstall, installed = _switch.install, _switch.uninstall, _switch.installed


def quiet(app: ASGIApp) -> ASGIApp:
    """`app` wrapped by `abandonable` while the patch is installed, as it is otherwise."""
    return abandonable(app) if _switch.on else app


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
            if not left or str(error) != NO_RESPONSE:
                raise
            log.info('%s %s: the client left before the answer began', scope.get('method'), scope.get('path'))
    return call


async def check() -> None:
    """BaseHTTPMiddleware still raises its "No response returned." for a client that left before the answer began,
    and the wrapper ends that request quietly while a real failure still raises."""
    from starlette.middleware.base import BaseHTTPMiddleware

    async def left() -> Message:
        return {'type': 'http.disconnect'}

    async def send(message: Message) -> None:
        pass

    async def script(scope: Scope, receive: Receive, send: Send) -> None:  # ends where its client left
        await receive()

    async def failing(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError('a real failure')

    scope: Scope = {'type': 'http', 'method': 'GET', 'path': '/script.js', 'raw_path': b'/script.js',
                    'query_string': b'', 'headers': [], 'http_version': '1.1', 'scheme': 'http',
                    'server': ('guard', 80), 'client': ('127.0.0.1', 1), 'root_path': '',
                    'asgi': {'version': '3.0', 'spec_version': '2.3'}}
    with guarding('starlette', VERIFIED, "BaseHTTPMiddleware's answer to a client that left"):
        middleware = BaseHTTPMiddleware(script, dispatch=lambda request, call_next: call_next(request))
        try:
            await middleware(scope, left, send)
            message = None
        except RuntimeError as error:
            message = str(error)
        if message != NO_RESPONSE:
            raise broken('starlette', VERIFIED, f'a response cut short by the client raised {message!r}, not '
                         f'{NO_RESPONSE!r}')
        await abandonable(middleware)(scope, left, send)  # quiet
        try:
            await abandonable(BaseHTTPMiddleware(failing, dispatch=lambda r, call_next: call_next(r)))(
                scope, left, send)
        except RuntimeError:
            return
        raise broken('starlette', VERIFIED, 'a real failure under the wrapper was swallowed')
