"""Webhook jobs: the fan-out of a followed event to the endpoints that want it, and each delivery's attempts.

The fan-out job writes one delivery row and one 'webhook.deliver' job per endpoint in one transaction; a delivery
is unique per (endpoint, event), so a fan-out run again (its worker died) makes none twice. A delivery keeps its
id (the X-Switchboard-Delivery header) across retries and resends: receivers drop repeats by it. An attempt that
fails is retried by the job queue with exponential backoff; once the job's attempts run out the delivery has
failed, and after WEBHOOKS_DISABLE_AFTER such failures in a row the endpoint is switched off and admins are told
(the audit log, the page, and an email to every admin with an address when email is configured).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from domain.desk import Desk
from domain.errors import InvalidInput
from domain.events import WebhooksChanged
from domain.jobs.worker import PermanentError
from domain.webhooks.guard import Address, checked_url, resolved
from domain.webhooks.payload import PUBLIC_KINDS, body, build_payload
from domain.webhooks.service import ATTEMPTS, DELIVER_JOB, WebhookService
from domain.webhooks.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signature
from storage.jobs import JobRow, NewJob
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from storage.webhooks import DeliveryRow, EndpointRow, new_uid

FAN_OUT_JOB = 'webhook.fanout'
EMAIL_JOB = 'email.send'
# POST `body` with `headers` to `url`, connecting only to `addresses` (those checked); returns the status code.
Post = Callable[[str, list[Address], bytes, dict[str, str]], Awaitable[int]]

NOTICE = {
    'en': ('Webhook endpoint #{id} was switched off',
           'The webhook endpoint #{id} ({url}) failed {count} deliveries in a row and was switched off.\n'
           'Its delivery log in Admin -> Webhooks shows why; switch it on there once the receiver works again.\n'),
    'ru': ('Вебхук #{id} отключён',
           'Вебхук #{id} ({url}) не смог доставить {count} событий подряд и был отключён.\n'
           'Причины — в журнале доставок (Администрирование -> Вебхуки); включите его там, когда получатель '
           'снова заработает.\n'),
}


class DeliveryFailed(Exception):
    """An attempt did not reach a 2xx answer: the job queue tries again later."""


class Deliveries:
    def __init__(self, uow: UnitOfWorkFactory, service: WebhookService, post: Post,
                 email_configured: Callable[[], bool]) -> None:
        self.uow = uow
        self.service = service
        self.post = post
        self.email_configured = email_configured

    async def fan_out(self, job: JobRow) -> None:
        """A followed event's job: one delivery (and its job) per enabled endpoint that wants the event."""
        event = job.payload
        public = PUBLIC_KINDS.get(event.get('kind', ''))
        if public is None:
            return
        async with self.uow(write=True) as uow:
            endpoints = await uow.webhooks.listening(public)
            if not endpoints:
                return
            first = await build_payload(uow, delivery_id='', event=event)
            if first is None:  # the request is gone
                return
            rows = []
            for endpoint in endpoints:
                payload = {**first, 'id': new_uid()}
                rows.append((endpoint.id, int(event['event_id']), public, payload))
            new = await uow.webhooks.add_deliveries(rows)
            await uow.jobs.add_many([NewJob(DELIVER_JOB, {'delivery_id': delivery.id}, max_attempts=ATTEMPTS,
                                            dedup_key=f'webhook:{delivery.id}') for delivery in new])  # see queued()
            await uow.commit()

    async def deliver(self, job: JobRow) -> None:
        """One attempt of a delivery: resolve and check the target again, POST the signed body, record how it went."""
        async with self.uow() as uow:
            delivery = await uow.webhooks.delivery(int(job.payload['delivery_id']))
            endpoint = await uow.webhooks.endpoint(delivery.endpoint_id) if delivery else None
        if delivery is None or endpoint is None or delivery.status in ('delivered', 'failed'):
            return  # deleted, or settled by an earlier run of this job that died before it was marked done
        if not endpoint.enabled:
            async with self.uow(write=True) as uow:
                await uow.webhooks.settle(delivery.id, status='failed', error='The endpoint was switched off.')
                await uow.commit()
            return
        final = job.attempts >= job.max_attempts
        started = time.perf_counter()
        code: int | None = None
        try:
            url, host, port = checked_url(endpoint.url)
            addresses = await resolved(host, port, allow_private=self.service.allow_private)
        except InvalidInput as refused:  # the name points somewhere else now (DNS rebinding): never retried
            await self._record(delivery, endpoint, final=True, code=None, started=None, error=refused.message)
            raise PermanentError(refused.message) from None
        try:
            raw = body(delivery.payload)
            code = await self.post(url, addresses, raw, _headers(endpoint, delivery, raw))
        except Exception as error:  # the network's or the receiver's failure: recorded, then retried
            problem = f'{type(error).__name__}: {error}'.rstrip(': ')
        else:
            if 200 <= code < 300:
                await self._record(delivery, endpoint, final=False, code=code, started=started, error=None)
                return
            problem = f'The endpoint answered {code}.'
            if 300 <= code < 400:
                problem = f'The endpoint answered {code}; redirects are not followed.'
        await self._record(delivery, endpoint, final=final, code=code, started=started, error=problem)
        raise DeliveryFailed(problem)

    async def _record(self, delivery: DeliveryRow, endpoint: EndpointRow, *, final: bool, code: int | None,
                      started: float | None, error: str | None) -> None:
        elapsed = round((time.perf_counter() - started) * 1000) if started is not None else None
        status = 'delivered' if error is None else 'failed' if final else 'retrying'
        async with self.uow(write=True) as uow:
            await uow.webhooks.attempted(delivery.id, status=status, response_code=code, response_ms=elapsed,
                                         error=error)
            if status == 'delivered':
                await uow.webhooks.succeeded(endpoint.id)
            elif status == 'failed':
                failures = await uow.webhooks.failed(endpoint.id)
                if failures >= self.service.disable_after:
                    await self._switch_off(uow, endpoint, failures)
            await uow.commit()

    async def _switch_off(self, uow: UnitOfWork, endpoint: EndpointRow, failures: int) -> None:
        reason = f'Switched off after {failures} failed deliveries in a row.'
        if not await uow.webhooks.disable(endpoint.id, reason=reason):
            return  # off already: whoever switched it off told the admins
        uow.events.add('webhook.disabled', actor_id=None, channel='webhook', endpoint_id=endpoint.id,
                       url=endpoint.url, failures=failures)
        uow.emit(WebhooksChanged())
        if self.email_configured():
            jobs = []
            for address, locale in await uow.webhooks.admin_emails():
                subject, text = NOTICE.get(locale or 'en', NOTICE['en'])
                facts = {'id': endpoint.id, 'url': endpoint.url, 'count': failures}
                jobs.append(NewJob(EMAIL_JOB, {'to': address, 'subject': subject.format(**facts),
                                               'body': text.format(**facts)},
                                   dedup_key=f'webhook-off:{endpoint.id}:{endpoint.updated_at.timestamp():.0f}:'
                                             f'{address}'[:200]))
            await uow.jobs.add_many(jobs)


def _headers(endpoint: EndpointRow, delivery: DeliveryRow, raw: bytes) -> dict[str, str]:
    return {'Content-Type': 'application/json', 'User-Agent': 'Switchboard-Webhooks/1',
            DELIVERY_HEADER: delivery.uid, EVENT_HEADER: delivery.kind,
            SIGNATURE_HEADER: signature(endpoint.secret, raw)}


def install(desk: Desk, post: Post, *, allow_private: bool, disable_after: int) -> Deliveries:
    """Follow the public events with the fan-out job and handle deliveries; call once per start."""
    desk.webhooks.configure(allow_private=allow_private, disable_after=disable_after)
    deliveries = Deliveries(desk.worker.uow, desk.webhooks, post, lambda: EMAIL_JOB in desk.worker.kinds)
    for event_kind in PUBLIC_KINDS:
        desk.follow(event_kind, FAN_OUT_JOB, deliveries.fan_out, wanted=desk.webhooks.wanted)
    desk.worker.handle(DELIVER_JOB, deliveries.deliver)
    return deliveries
