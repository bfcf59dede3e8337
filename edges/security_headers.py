"""Headers on every answer that keep other sites from framing the app, sniffing types, or reading our paths."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = b'content-security-policy'
SAME_ORIGIN_FRAMES = (CSP, b"frame-ancestors 'self'")
# Older browsers know only X-Frame-Options; newer ones obey frame-ancestors, which wins where both are sent.
FRAMES_OLD_STYLE = (b'x-frame-options', b'SAMEORIGIN')
ALWAYS = ((b'referrer-policy', b'strict-origin-when-cross-origin'),  # other sites see our origin, never a path
          (b'x-content-type-options', b'nosniff'))


class SecurityHeadersMiddleware:
    """Adds the headers an answer lacks; one that states its own frame-ancestors (a widget's) keeps them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return

        async def send_guarded(message: Message) -> None:
            if message['type'] == 'http.response.start':
                message['headers'] = guarded(list(message.get('headers', ())))
            await send(message)

        await self.app(scope, receive, send_guarded)


def guarded(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`headers` plus what is missing of ours; names compared in lower case, as HTTP does."""
    names = {name.lower() for name, _value in headers}
    # A page meant for other sites' frames (the widget) says which ones in its own policy; a second policy would
    # narrow it to 'self' again, since browsers enforce every policy they get.
    own_frames = any(name.lower() == CSP and b'frame-ancestors' in value.lower() for name, value in headers)
    extra = [] if own_frames else [SAME_ORIGIN_FRAMES, FRAMES_OLD_STYLE]
    extra += ALWAYS
    return headers + [(name, value) for name, value in extra if name not in names or name == CSP]
