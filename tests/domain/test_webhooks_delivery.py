"""Webhook deliveries against a real receiver on 127.0.0.1: retried while it is down, each delivered once, signed."""

from __future__ import annotations

import ipaddress
import json

from channels.webhooks import WebhookPoster
from domain.desk import Desk
from domain.webhooks.delivery import Deliveries
from tests.channels.notify_steps import Clock, jobs
from tests.domain.webhook_steps import (
    SECRET,
    endpoint,
    log,
    run_for,
    signed_at,
    some_events,
    verifier,
)
from tests.factories import make_user
from tests.fakes.webhook_receiver import Receiver


async def test_deliveries_wait_for_a_receiver_that_is_down_then_arrive_once_each_and_verify(
        desk: Desk, delivering: Deliveries, receiver: Receiver, webhook_clock: Clock) -> None:
    admin = await make_user(desk, role='admin')
    hook = await endpoint(desk, admin, receiver.url)
    await receiver.stop()
    request_id = await some_events(desk)
    await run_for(desk, webhook_clock, 60)  # a few attempts, every one refused
    shown = await log(desk, admin, hook.id)
    assert sorted(row.kind for row in shown) == ['message.posted', 'status.changed', 'ticket.created']
    assert {row.status for row in shown} == {'retrying'}
    assert all(row.attempts >= 2 and row.error and row.response_code is None for row in shown)

    await receiver.start()
    await run_for(desk, webhook_clock, 700)  # past the longest wait between attempts
    shown = await log(desk, admin, hook.id)
    assert {row.status for row in shown} == {'delivered'}
    assert all(row.response_code == 200 and row.error is None for row in shown)
    assert sorted(post.delivery for post in receiver.received) == sorted(row.uid for row in shown)  # once each

    verify = verifier()
    for post in receiver.received:
        assert verify(SECRET, post.body, post.signature)
        payload = json.loads(post.body)
        assert payload['id'] == post.delivery
        assert payload['ticket']['id'] == request_id and payload['ticket']['title'] == 'Printer on fire'
        assert post.headers['X-Switchboard-Event'] == payload['kind']
    [posted] = [json.loads(post.body) for post in receiver.received if post.headers['X-Switchboard-Event']
                == 'message.posted']
    assert posted['data']['text'] == 'Have you tried water?' and posted['actor']['username']


async def test_a_replayed_delivery_fails_the_recipe_once_its_timestamp_is_old(
        desk: Desk, delivering: Deliveries, receiver: Receiver, webhook_clock: Clock) -> None:
    admin = await make_user(desk, role='admin')
    await endpoint(desk, admin, receiver.url, ['ticket.created'])
    await some_events(desk)
    await desk.worker.drain()
    [post] = receiver.received
    moment = signed_at(SECRET, post.body, post.signature)
    assert verifier(now=moment + 10)(SECRET, post.body, post.signature)
    assert not verifier(now=moment + 301)(SECRET, post.body, post.signature)  # replayed five minutes later
    assert not verifier(now=moment + 10)(SECRET, post.body + b' ', post.signature)  # a body changed on the way
    assert not verifier(now=moment + 10)('another secret 0123456', post.body, post.signature)


async def test_a_fan_out_run_again_makes_no_second_delivery(desk: Desk, delivering: Deliveries,
                                                           receiver: Receiver) -> None:
    admin = await make_user(desk, role='admin')
    hook = await endpoint(desk, admin, receiver.url, ['ticket.created'])
    await some_events(desk)
    [fan_out] = await jobs(desk, 'webhook.fanout')
    await delivering.fan_out(fan_out)  # as if its worker had died before marking it done
    await delivering.fan_out(fan_out)
    await desk.worker.drain()
    assert len(await log(desk, admin, hook.id)) == 1
    assert len(receiver.received) == 1
    assert len(await jobs(desk, 'webhook.deliver')) == 1


async def test_no_fan_out_job_is_queued_while_no_endpoint_wants_the_event(desk: Desk, delivering: Deliveries,
                                                                         receiver: Receiver) -> None:
    admin = await make_user(desk, role='admin')
    await some_events(desk)
    assert await jobs(desk, 'webhook.fanout') == []
    hook = await endpoint(desk, admin, receiver.url, ['status.changed'])
    await some_events(desk)
    assert [job.payload['kind'] for job in await jobs(desk, 'webhook.fanout')] == ['status.changed']
    await desk.webhooks.change(actor_id=admin.id, endpoint_id=hook.id, enabled=False)
    await some_events(desk)
    assert len(await jobs(desk, 'webhook.fanout')) == 1


async def test_a_redirect_is_not_followed(desk: Desk, delivering: Deliveries, receiver: Receiver,
                                          webhook_clock: Clock) -> None:
    admin = await make_user(desk, role='admin')
    hook = await endpoint(desk, admin, receiver.url, ['ticket.created'])
    receiver.redirect = True
    await some_events(desk)
    await desk.worker.drain()
    [row] = await log(desk, admin, hook.id)
    assert row.status == 'retrying' and row.response_code == 302
    assert row.error == 'The endpoint answered 302; redirects are not followed.'
    assert receiver.attempts == 1 and receiver.elsewhere == 0




async def test_a_host_name_is_delivered_to_the_address_checked_with_its_name_in_the_host_header(
        desk: Desk, delivering: Deliveries, receiver: Receiver) -> None:
    admin = await make_user(desk, role='admin')
    hook = await endpoint(desk, admin, f'http://localhost:{receiver.port}/hook', ['ticket.created'])
    await some_events(desk)
    await desk.worker.drain()
    [post] = receiver.received
    assert post.headers['Host'] == f'localhost:{receiver.port}'
    assert [row.status for row in await log(desk, admin, hook.id)] == ['delivered']


async def test_the_next_checked_address_is_tried_when_one_refuses_the_connection(receiver: Receiver) -> None:
    """A name with two addresses (IPv6 and IPv4, say) where only the second answers: the POST still arrives."""
    poster = WebhookPoster()
    try:
        code = await poster(f'http://hooks.example.test:{receiver.port}/hook',
                            [ipaddress.ip_address('127.0.0.2'), ipaddress.ip_address('127.0.0.1')], b'{}',
                            {'X-Switchboard-Delivery': 'd-1'})
    finally:
        await poster.close()
    assert code == 200
    [post] = receiver.received
    assert post.headers['Host'] == f'hooks.example.test:{receiver.port}' and post.body == b'{}'
