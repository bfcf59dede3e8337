"""Webhook endpoints' rules: only public http(s) targets, switched off after failures in a row, resent with the same
id, admins only, and every instance forgets which events have listeners when an endpoint changes."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import update

from domain.desk import Desk
from domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from domain.webhooks.delivery import Deliveries
from domain.webhooks.service import EndpointDraft
from storage.jobs import JobRow
from storage.model_automation import Job
from tests.channels.notify_steps import Clock, jobs, opt_in
from tests.domain.webhook_steps import endpoint, log, run_for, some_events
from tests.factories import make_user
from tests.fakes.webhook_receiver import Receiver

REFUSED = [
    ('http://127.0.0.1:8080/hook', 'Webhooks may not go to a loopback address (127.0.0.1).'),
    ('http://10.1.2.3/hook', 'Webhooks may not go to a private network address (10.1.2.3).'),
    ('http://169.254.169.254/latest/meta-data', 'Webhooks may not go to a link-local address (169.254.169.254).'),
    ('http://[::1]:9000/hook', 'Webhooks may not go to a loopback address (::1).'),
    ('http://localhost/hook', 'Webhooks may not go to a loopback address ('),  # ::1 or 127.0.0.1, as resolved
    ('http://[::ffff:192.168.0.1]/hook', 'Webhooks may not go to a private network address (::ffff:c0a8:1).'),
    ('http://224.0.0.1/hook', 'Webhooks may not go to a multicast address (224.0.0.1).'),
    ('http://0.0.0.0/hook', 'Webhooks may not go to a reserved address (0.0.0.0).'),
    ('http://100.64.0.1/hook', 'Webhooks may not go to a reserved address (100.64.0.1).'),
    ('file:///etc/passwd', 'Webhook URLs start with http:// or https://.'),
    ('ftp://example.com/hook', 'Webhook URLs start with http:// or https://.'),
    ('https://user:pw@example.com/hook', 'Put no user name or password in the URL; the secret signs every delivery.'),
    ('   ', 'Enter the URL the events go to.'),
]


@pytest.mark.parametrize(('url', 'reason'), REFUSED)
async def test_private_and_non_http_targets_are_refused_with_a_reason(desk: Desk, url: str, reason: str) -> None:
    admin = await make_user(desk, role='admin')
    with pytest.raises(InvalidInput) as refused:
        await endpoint(desk, admin, url)
    assert refused.value.message.startswith(reason) and refused.value.field == 'url'
    assert await desk.webhooks.endpoints(actor_id=admin.id) == []


async def test_the_setting_allows_private_targets(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    desk.webhooks.configure(allow_private=True, disable_after=10)
    for url in ('http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://10.1.2.3/hook', 'http://[::1]/hook'):
        assert (await endpoint(desk, admin, url)).url == url
    with pytest.raises(InvalidInput, match='http:// or https://'):
        await endpoint(desk, admin, 'file:///etc/passwd')  # never another scheme


async def test_events_and_secret_are_checked(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    desk.webhooks.configure(allow_private=True, disable_after=10)
    with pytest.raises(InvalidInput, match='Choose at least one event'):
        await desk.webhooks.create(actor_id=admin.id, draft=EndpointDraft('http://127.0.0.1/h', []))
    with pytest.raises(InvalidInput, match=r'There is no event "request\.created"'):
        await desk.webhooks.create(actor_id=admin.id, draft=EndpointDraft('http://127.0.0.1/h', ['request.created']))
    for secret in ('short', 'sixteen chars but spaced', 'sixteen-chars-\x00-and-a-nul', 'ключ-из-кириллицы-длинный'):
        with pytest.raises(InvalidInput, match='16 to 128 letters, digits or punctuation marks'):
            await desk.webhooks.create(actor_id=admin.id, draft=EndpointDraft('http://127.0.0.1/h', ['note.added'],
                                                                              secret))
    for url in ('http://127.0.0.1/a b', 'http://127.0.0.1/\x00', 'http://exa\x00mple.com/'):
        with pytest.raises(InvalidInput, match='This is not a URL'):
            await endpoint(desk, admin, url)
    made = await desk.webhooks.create(actor_id=admin.id, draft=EndpointDraft('http://127.0.0.1/h', ['note.added']))
    assert made.secret.startswith('whsec_') and len(made.secret) > 30  # one is made when none is given


async def test_a_name_that_points_at_a_private_address_by_delivery_time_is_refused_then(
        desk: Desk, delivering: Deliveries, receiver: Receiver) -> None:
    """DNS rebinding: saved while its name looked public, the endpoint's host now resolves to 127.0.0.1."""
    admin = await make_user(desk, role='admin')
    hook = await endpoint(desk, admin, f'http://localhost:{receiver.port}/hook', ['ticket.created'])
    desk.webhooks.configure(allow_private=False, disable_after=3)  # as if the name had resolved elsewhere at saving
    await some_events(desk)
    await desk.worker.drain()
    [row] = await log(desk, admin, hook.id)
    assert row.status == 'failed' and row.error is not None
    assert row.error.startswith('Webhooks may not go to a loopback address (')
    assert receiver.attempts == 0
    [job] = await jobs(desk, 'webhook.deliver')
    assert job.status == 'failed' and job.attempts == 1  # refused for good, not retried


async def test_an_endpoint_that_keeps_failing_is_switched_off_and_admins_are_told(
        desk: Desk, delivering: Deliveries, receiver: Receiver, webhook_clock: Clock) -> None:
    emails: list[dict[str, str]] = []

    async def mail(job: JobRow) -> None:
        emails.append(job.payload)

    desk.worker.handle('email.send', mail)  # email is configured
    admin, other_admin = await make_user(desk, role='admin'), await make_user(desk, role='admin')
    await opt_in(desk, other_admin)  # has an address
    hook = await endpoint(desk, admin, receiver.url)
    receiver.answer = 500
    await some_events(desk)  # three deliveries; three failures in a row switch it off (disable_after=3)
    await run_for(desk, webhook_clock, 400)  # every attempt of each
    assert {row.status for row in await log(desk, admin, hook.id)} == {'failed'}
    assert receiver.attempts == 3 * 8
    now = await desk.webhooks.endpoint(actor_id=admin.id, endpoint_id=hook.id)
    assert not now.enabled and now.failures == 3
    assert now.disabled_reason == 'Switched off after 3 failed deliveries in a row.'
    audit = (await desk.audit.page(actor_id=admin.id)).rows
    assert [entry.data['endpoint_id'] for entry in audit if entry.kind == 'webhook.disabled'] == [hook.id]
    [email] = emails
    assert email['to'] == f'{other_admin.username}@example.com'
    assert f'#{hook.id}' in email['subject'] and receiver.url in email['body']

    receiver.answer = 200
    await some_events(desk)  # a switched-off endpoint gets nothing
    await run_for(desk, webhook_clock, 60)
    assert len(await log(desk, admin, hook.id)) == 3 and receiver.received == []
    back = await desk.webhooks.change(actor_id=admin.id, endpoint_id=hook.id, enabled=True)
    assert back.enabled and back.failures == 0 and back.disabled_reason is None


async def test_failures_count_only_in_a_row(desk: Desk, delivering: Deliveries, receiver: Receiver,
                                            webhook_clock: Clock) -> None:
    admin = await make_user(desk, role='admin')
    hook = await endpoint(desk, admin, receiver.url, ['ticket.created'])
    for answer in (500, 500, 200, 500, 500):
        receiver.answer = answer
        await some_events(desk)
        await run_for(desk, webhook_clock, 400)
    now = await desk.webhooks.endpoint(actor_id=admin.id, endpoint_id=hook.id)
    assert now.enabled and now.failures == 2


async def test_resend_makes_a_new_attempt_with_the_same_delivery_id(
        desk: Desk, delivering: Deliveries, receiver: Receiver) -> None:
    admin = await make_user(desk, role='admin')
    hook = await endpoint(desk, admin, receiver.url, ['ticket.created'])
    await some_events(desk)
    await desk.worker.drain()
    [row] = await log(desk, admin, hook.id)
    again = await desk.webhooks.resend(actor_id=admin.id, endpoint_id=hook.id, delivery_id=row.id)
    assert again.status == 'pending'
    with pytest.raises(Conflict, match='already queued'):
        await desk.webhooks.resend(actor_id=admin.id, endpoint_id=hook.id, delivery_id=row.id)
    await desk.worker.drain()
    first, second = receiver.received
    assert first.delivery == second.delivery == row.uid and first.body == second.body
    [row] = await log(desk, admin, hook.id)
    assert row.status == 'delivered' and row.attempts == 2
    await desk.webhooks.resend(actor_id=admin.id, endpoint_id=hook.id, delivery_id=row.id)  # and once more
    await desk.worker.drain()
    assert len(receiver.received) == 3
    with pytest.raises(NotFound):
        await desk.webhooks.resend(actor_id=admin.id, endpoint_id=hook.id, delivery_id=row.id + 1000)


@pytest.mark.parametrize('role', ['customer', 'agent'])
async def test_only_admins_manage_webhooks(desk: Desk, role: str) -> None:
    admin, someone = await make_user(desk, role='admin'), await make_user(desk, role=role)
    desk.webhooks.configure(allow_private=True, disable_after=10)
    hook = await endpoint(desk, admin, 'http://127.0.0.1/hook')
    webhooks = desk.webhooks
    attempts = [
        webhooks.endpoints(actor_id=someone.id),
        webhooks.endpoint(actor_id=someone.id, endpoint_id=hook.id),
        webhooks.create(actor_id=someone.id, draft=EndpointDraft('http://127.0.0.1/x', ['note.added'])),
        webhooks.change(actor_id=someone.id, endpoint_id=hook.id, enabled=False),
        webhooks.delete(actor_id=someone.id, endpoint_id=hook.id),
        webhooks.deliveries(actor_id=someone.id, endpoint_id=hook.id),
        webhooks.resend(actor_id=someone.id, endpoint_id=hook.id, delivery_id=1),
        webhooks.endpoints(actor_id=None),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            await attempt
    assert (await webhooks.endpoint(actor_id=admin.id, endpoint_id=hook.id)).enabled


async def test_another_instance_forgets_which_events_have_listeners_when_an_endpoint_changes(
        two_instances: tuple[Desk, Desk]) -> None:
    one, other = two_instances
    admin = await make_user(one, role='admin')
    for desk in (one, other):
        desk.webhooks.configure(allow_private=True, disable_after=10)
        desk.follow('request.created', 'webhook.fanout', _nothing, wanted=desk.webhooks.wanted)
    await some_events(other)  # other now remembers: nobody listens
    assert await jobs(other, 'webhook.fanout') == []
    await endpoint(one, admin, 'http://127.0.0.1:9/hook', ['ticket.created'])
    for _ in range(250):
        if other.webhooks._kinds is None:  # forgotten on hearing WebhooksChanged
            break
        await asyncio.sleep(0.02)
    await some_events(other)
    assert len(await jobs(other, 'webhook.fanout')) == 1


async def _nothing(job: JobRow) -> None:
    pass


async def test_deleting_an_endpoint_drops_its_log(desk: Desk, delivering: Deliveries, receiver: Receiver) -> None:
    admin = await make_user(desk, role='admin')
    hook = await endpoint(desk, admin, receiver.url, ['ticket.created'])
    await some_events(desk)
    await desk.worker.drain()
    await desk.webhooks.delete(actor_id=admin.id, endpoint_id=hook.id)
    with pytest.raises(NotFound):
        await desk.webhooks.deliveries(actor_id=admin.id, endpoint_id=hook.id)
    async with desk.worker.uow() as uow:
        assert await uow.webhooks.endpoints() == []


async def test_a_delivery_whose_job_ended_without_a_word_may_be_resent(
        desk: Desk, delivering: Deliveries, receiver: Receiver) -> None:
    """Its worker died on the last attempt: the job failed, the delivery still says "retrying"."""
    admin = await make_user(desk, role='admin')
    hook = await endpoint(desk, admin, receiver.url, ['ticket.created'])
    receiver.answer = 500
    await some_events(desk)
    await desk.worker.drain()
    [row] = await log(desk, admin, hook.id)
    assert row.status == 'retrying'
    with pytest.raises(Conflict, match='already queued'):
        await desk.webhooks.resend(actor_id=admin.id, endpoint_id=hook.id, delivery_id=row.id)
    async with desk.worker.uow(write=True) as uow:
        await uow.connection.execute(update(Job).where(Job.kind == 'webhook.deliver').values(status='failed'))
        await uow.commit()
    receiver.answer = 200
    await desk.webhooks.resend(actor_id=admin.id, endpoint_id=hook.id, delivery_id=row.id)
    await desk.worker.drain()
    [post] = receiver.received
    assert post.delivery == row.uid
    assert [row.status for row in await log(desk, admin, hook.id)] == ['delivered']
