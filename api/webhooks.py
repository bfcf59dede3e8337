"""/api/v1/webhooks: admins register outgoing webhook endpoints, read each one's delivery log and resend deliveries."""

from __future__ import annotations

from fastapi import APIRouter, Response

from domain.webhooks.signing import VERIFIER

from . import pagination
from .deps import DEFAULT_LIMIT, CurrentUser, Cursor, DeskDep, IdPath, Limit
from .documented import errors
from .errors import RESPONSES, ApiRoute
from .schemas import Page
from .schemas_webhooks import DeliveryOut, WebhookIn, WebhookOut, WebhookPatch

router = APIRouter(prefix='/webhooks', tags=['webhooks'], route_class=ApiRoute, responses=RESPONSES)
ADMINS = {401: 'Sign in first: send an access token.', 403: 'Only admins manage webhooks.'}
GONE = {404: 'This webhook endpoint does not exist.'}
INVALID = {422: ('Webhooks may not go to a loopback address (127.0.0.1).', 'url')}
RECIPE = f"""Each event is POSTed as JSON with these headers:

- `X-Switchboard-Delivery`: the delivery's id, the same on every retry and resend: drop a repeat by it;
- `X-Switchboard-Event`: the event kind;
- `X-Switchboard-Signature: t=<unix seconds>,v1=<hex>`: HMAC-SHA256 with the endpoint's secret over
  `<t>.<raw body>`.

Check the signature over the raw body and refuse a `t` more than 5 minutes off, so a recorded delivery replayed
later is refused. In Python:

```python
{VERIFIER}```

Failed attempts are retried with exponential backoff (about 8 minutes in all); an endpoint whose deliveries keep
failing is switched off, and admins are told."""


@router.get('', summary='List the webhook endpoints', responses=errors(ADMINS))
async def list_webhooks(user: CurrentUser, desk: DeskDep, cursor: Cursor = None,
                        limit: Limit = DEFAULT_LIMIT) -> Page[WebhookOut]:
    """Every endpoint, oldest first (admins)."""
    page, next_cursor = pagination.offset_page(await desk.webhooks.endpoints(actor_id=user.id), cursor, limit)
    return Page(items=[WebhookOut.of(row) for row in page], next_cursor=next_cursor)


@router.post('', status_code=201, summary='Register a webhook endpoint', description=RECIPE,
             responses=errors(ADMINS | INVALID))
async def create_webhook(body: WebhookIn, user: CurrentUser, desk: DeskDep) -> WebhookOut:
    return WebhookOut.of(await desk.webhooks.create(actor_id=user.id, draft=body.draft()))


@router.get('/{endpoint_id:int}', summary='Read a webhook endpoint', responses=errors(ADMINS | GONE))
async def get_webhook(endpoint_id: IdPath, user: CurrentUser, desk: DeskDep) -> WebhookOut:
    """One endpoint, its secret included (admins)."""
    return WebhookOut.of(await desk.webhooks.endpoint(actor_id=user.id, endpoint_id=endpoint_id))


@router.patch('/{endpoint_id:int}', summary='Change a webhook endpoint', responses=errors(ADMINS | GONE | INVALID))
async def change_webhook(endpoint_id: IdPath, body: WebhookPatch, user: CurrentUser, desk: DeskDep) -> WebhookOut:
    """Change the parts given, checked as on creation; `enabled: true` switches a disabled one back on (admins)."""
    return WebhookOut.of(await desk.webhooks.change(actor_id=user.id, endpoint_id=endpoint_id, **body.changes()))


@router.delete('/{endpoint_id:int}', status_code=204, response_class=Response, summary='Delete a webhook endpoint',
               responses=errors(ADMINS | GONE))
async def delete_webhook(endpoint_id: IdPath, user: CurrentUser, desk: DeskDep) -> None:
    """The endpoint and its delivery log; queued deliveries are dropped (admins)."""
    await desk.webhooks.delete(actor_id=user.id, endpoint_id=endpoint_id)


@router.get('/{endpoint_id:int}/deliveries', summary="List an endpoint's deliveries, newest first",
            responses=errors(ADMINS | GONE))
async def list_deliveries(endpoint_id: IdPath, user: CurrentUser, desk: DeskDep, cursor: Cursor = None,
                          limit: Limit = DEFAULT_LIMIT) -> Page[DeliveryOut]:
    """The delivery log: status, response code and time, error, attempts; `next_cursor` goes on (admins)."""
    after = pagination.decode(cursor, int)
    found = await desk.webhooks.deliveries(actor_id=user.id, endpoint_id=endpoint_id,
                                           before_id=after[0] if after else None, limit=limit)
    next_cursor = pagination.encode(found.rows[-1].id) if found.more else None
    return Page(items=[DeliveryOut.of(row) for row in found.rows], next_cursor=next_cursor)


@router.post('/{endpoint_id:int}/deliveries/{delivery_id:int}/resend', status_code=202,
             summary='Resend a delivery', responses=errors(ADMINS | {404: 'This delivery does not exist.',
                                                                     409: 'This delivery is already queued.'}))
async def resend_delivery(endpoint_id: IdPath, delivery_id: IdPath, user: CurrentUser,
                          desk: DeskDep) -> DeliveryOut:
    """Queue the delivery once more with the same delivery id and body, newly signed (admins)."""
    return DeliveryOut.of(await desk.webhooks.resend(actor_id=user.id, endpoint_id=endpoint_id,
                                                     delivery_id=delivery_id))
