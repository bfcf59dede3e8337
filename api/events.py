"""/api/v1/events: live events you may see, as Server-Sent Events, or on a WebSocket at /api/v1/events/ws."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, WebSocket
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.websockets import WebSocketDisconnect

from domain.desk import Desk
from domain.errors import DomainError, InvalidInput, NotSignedIn
from domain.stream.subscription import StreamEnded, Subscription

from .deps import DeskDep
from .documented import errors
from .errors import ApiRoute, domain_error
from .schemas import MAX_ID
from .schemas_events import EXAMPLE

log = logging.getLogger(__name__)
router = APIRouter(prefix='/events', tags=['events'], route_class=ApiRoute)
bearer = HTTPBearer(auto_error=False, scheme_name='HTTPBearer',
                    description='An access token from POST /api/v1/auth/token')
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
DIGITS = r'^[0-9]{1,19}$'
FIRST_MESSAGE_WAIT = 10.0  # seconds a WebSocket without an Authorization header has to send its token
# WebSocket close codes: 4000 + the HTTP status an API call would get; 1012 (service restart) when the server stops.
CLOSE = {'not_signed_in': 4401, 'forbidden': 4403, 'not_found': 4404, 'invalid_input': 4422, 'unavailable': 1012}
SSE_EXAMPLE = f'id: {EXAMPLE["id"]}\ndata: {json.dumps(EXAMPLE)}\n\n'
KEEP_ALIVE = b': ping\n\n'  # a comment, after subscription.IDLE (15 s) without events: proxies keep the connection
# Not FastAPI's own SSE (a generator endpoint with EventSourceResponse): it runs two more tasks and two memory
# streams per open stream and wraps every event in a timeout, and encodes each event for each stream; here the
# stream makes each event's JSON once for all streams and waits for events and keep-alives in one task.


class EventStream(StreamingResponse):
    media_type = 'text/event-stream'  # what the OpenAPI document names for the operation


SSE_HEADERS = {'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no'}  # X-Accel-Buffering: nginx passes each event


async def opened_stream(
        desk: DeskDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        access_token: Annotated[str | None, Query(max_length=1000, description=(
            'The access token, for browsers (EventSource sends no headers); prefer the Authorization header')
        )] = None,
        last_event_header: Annotated[str | None, Header(alias='Last-Event-ID', pattern=DIGITS, description=(
            'The last event id you received: the stream resumes after it (EventSource sends it itself)'))] = None,
        last_event_id: Annotated[str | None, Query(pattern=DIGITS, description='As Last-Event-ID')] = None,
        queue_id: QueryId = None, ticket_id: QueryId = None) -> AsyncIterator[Subscription]:
    token = credentials.credentials if credentials else access_token
    last = last_event_header if last_event_header is not None else last_event_id
    async with desk.stream.open(access_token=token, last_event_id=_event_id(last, 'Last-Event-ID'),
                                queue_id=queue_id, ticket_id=ticket_id) as subscription:
        yield subscription


@router.get('', summary='Stream the events you may see (Server-Sent Events)', response_class=EventStream, responses={
    200: {'content': {'text/event-stream': {'example': SSE_EXAMPLE}},
          'description': 'An endless stream (`text/event-stream`) of events, each `data` one event as JSON: '
                         '`{id, kind, ticket_id, queue_id, created_at, actor: {id, username} | null, data}`; '
                         'a `: ping` comment after 15 s without events'},
    **errors({401: 'Your session has ended. Sign in again to continue.', 404: 'This request does not exist.',
              422: ('This event id is newer than any event.', 'Last-Event-ID')})})
async def stream_events(
        subscription: Annotated[Subscription, Depends(opened_stream)]) -> EventStream:
    """Live events you may see, as Server-Sent Events; reconnect with `Last-Event-ID` to get what you missed.

    Each event's `data` is one event as JSON (see the example) and its `id` the event's id, which only grows:
    ticket.created, message.posted, note.added (staff only), status.changed, ticket.assigned, on the tickets you
    may read (staff: all; a customer: their own and public ones; messages only of conversations you take part in).
    Narrow it with `queue_id` or `ticket_id`. Without a last id it starts now; with one (the `Last-Event-ID` header,
    as EventSource sends on reconnecting, or the `last_event_id` query parameter) it first sends every event after
    it, then goes on live: nothing missed, nothing twice. When your access token no longer holds (the account was
    deactivated, or the token expired: it lives 15 minutes) the stream ends with `event: error` and an error body
    (`{"error": {"code": "not_signed_in", "message": ...}}`): refresh the token and reconnect with the last id, as
    after any dropped connection (a server restarting).

    **WebSocket**: `/api/v1/events/ws` carries the same events, one JSON text message each. Authenticate with the
    Authorization header or, from a browser, with a first message `{"access_token": "..."}` (which may also hold
    `last_event_id`, `queue_id`, `ticket_id`, else taken from the query; the stream starts when the server has read
    it, so send a last id to miss nothing in between). Refusals and the end of a sign-in close
    the socket with 4000 + the HTTP status (4401, 4404, 4422) and the reason; a stopping server closes with 1012.
    """
    return EventStream(_sse(subscription), headers=SSE_HEADERS)


async def _sse(subscription: Subscription) -> AsyncIterator[bytes]:
    try:
        while True:
            found = await subscription.next()
            if not found:
                yield KEEP_ALIVE
                continue
            yield ''.join(f'id: {event.id}\ndata: {event.json}\n\n' for event in found).encode()
    except StreamEnded as ended:
        yield _sse_error(ended.code, ended.message)
    except Exception:  # the database went away mid-stream: the client reconnects with its last id
        log.warning('an event stream failed', exc_info=True)
        yield _sse_error('unavailable', 'The stream failed; connect again with your last event id.')


def _sse_error(code: str, message: str) -> bytes:
    return f'event: error\ndata: {json.dumps({"error": {"code": code, "message": message}})}\n\n'.encode()


@router.websocket('/ws')
async def stream_events_socket(websocket: WebSocket) -> None:
    """The same events on a WebSocket (see GET /api/v1/events)."""
    desk: Desk = websocket.app.state.desk
    token = _bearer(websocket.headers.get('authorization'))
    accepted = False
    try:
        asked: Mapping[str, Any] = websocket.query_params
        if token is None:
            await websocket.accept()
            accepted = True
            asked = {**asked, **await _first_message(websocket)}
            token = asked.get('access_token')
        async with desk.stream.open(access_token=token if isinstance(token, str) else None,
                                    last_event_id=_event_id(asked.get('last_event_id'), 'last_event_id'),
                                    queue_id=_event_id(asked.get('queue_id'), 'queue_id', least=1),
                                    ticket_id=_event_id(asked.get('ticket_id'), 'ticket_id', least=1)
                                    ) as subscription:
            if not accepted:
                await websocket.accept()
                accepted = True
            await _pump(websocket, subscription)
    except DomainError as refused:
        await _refuse(websocket, refused, accepted=accepted)
    except WebSocketDisconnect:
        pass


async def _pump(websocket: WebSocket, subscription: Subscription) -> None:
    """Send events until the client leaves (noticed by reading) or the stream ends (then close with its reason)."""
    leaving = asyncio.ensure_future(_until_gone(websocket))
    try:
        while True:
            coming = asyncio.ensure_future(subscription.next())
            await asyncio.wait((coming, leaving), return_when=asyncio.FIRST_COMPLETED)
            if leaving.done():
                coming.cancel()
                await asyncio.gather(coming, return_exceptions=True)
                return
            try:
                events = coming.result()
            except StreamEnded as ended:
                await websocket.send_json({'error': {'code': ended.code, 'message': ended.message}})
                await websocket.close(CLOSE.get(ended.code, 1011), _reason(ended.message))
                return
            except Exception:  # the database went away mid-stream: the client reconnects with its last id
                log.warning('an event stream failed', exc_info=True)
                await websocket.close(1011, 'The stream failed; connect again with your last event id.')
                return
            for event in events:
                await websocket.send_text(event.json)
    except (WebSocketDisconnect, OSError, RuntimeError):  # gone while we were sending
        return
    finally:
        leaving.cancel()
        await asyncio.gather(leaving, return_exceptions=True)


async def _until_gone(websocket: WebSocket) -> None:
    while (await websocket.receive())['type'] != 'websocket.disconnect':
        pass  # nothing a client says after its first message matters


async def _first_message(websocket: WebSocket) -> dict[str, Any]:
    try:
        text = await asyncio.wait_for(websocket.receive_text(), FIRST_MESSAGE_WAIT)
        first = json.loads(text)
    except (TimeoutError, ValueError, KeyError):
        first = None
    if not isinstance(first, dict) or not isinstance(first.get('access_token'), str):
        raise NotSignedIn('Send {{"access_token": "..."}} as the first message, or an Authorization header.')
    return first


async def _refuse(websocket: WebSocket, refused: DomainError, *, accepted: bool) -> None:
    answer = domain_error(refused)
    if not accepted and 'websocket.http.response' in websocket.scope.get('extensions', {}):
        await websocket.send_denial_response(answer)  # a plain HTTP answer in the API's error shape
        return
    code = json.loads(bytes(answer.body))['error']['code']
    with contextlib.suppress(RuntimeError, OSError):
        await websocket.close(CLOSE.get(code, 4400), _reason(refused.message))


def _bearer(header: str | None) -> str | None:
    scheme, _, credentials = (header or '').partition(' ')
    return credentials.strip() or None if scheme.lower() == 'bearer' else None


def _event_id(value: object, field: str, *, least: int = 0) -> int | None:
    """A whole number from a header, the query or a JSON message; refused (422, naming `field`) otherwise."""
    if value is None:
        return None
    number = value if type(value) is int else int(value) if isinstance(value, str) and value.isdigit() and \
        value.isascii() else None
    if number is None or not least <= number <= MAX_ID:
        raise InvalidInput('Must be a whole number of at least {least}.', field=field, least=least)
    return number


def _reason(message: str) -> str:
    return message.encode()[:120].decode(errors='ignore')  # a close frame's reason holds at most 123 bytes
