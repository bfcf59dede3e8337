"""Admin → Webhooks in the simulated browser: add an endpoint, a bad URL's reason, the delivery log and "Resend";
the page and its header link are for admins only."""

from __future__ import annotations

from pathlib import Path

import pytest
from nicegui.testing import User

from domain.desk import Desk
from domain.webhooks.service import EndpointDraft, EndpointRow
from tests.factories import make_request, make_user
from tests.fakes.webhook_receiver import Receiver
from tests.ui.steps import eventually, follow, signed_in
from ui.components.nav_links import NavLinks


@pytest.fixture
def app_env(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv('WEBHOOKS_ALLOW_PRIVATE', 'true')  # the receiver is on 127.0.0.1
    return app_env


async def test_an_admin_adds_an_endpoint_sees_a_bad_urls_reason_and_the_delivery_log(
        user: User, running_desk: Desk, receiver: Receiver) -> None:
    admin = await signed_in(user, running_desk, role='admin')
    follow(user, 'Webhooks')
    await user.should_see('How receivers check a delivery')
    user.find(marker='webhook-url').type('ftp://files.example.com/drop')
    user.find(marker='webhook-add').click()
    await user.should_see(marker='webhook-problem', content='Webhook URLs start with http:// or https://.')
    user.find(marker='webhook-url').clear().type('http://[::1]:9/hook')
    user.find(marker='webhook-event-note.added').click()  # unticked: this one wants no notes
    user.find(marker='webhook-add').click()
    [hook] = await _endpoints(user, running_desk, 1)
    await user.should_see(marker=f'webhook-{hook.id}-url', content='http://[::1]:9/hook')
    assert 'note.added' not in hook.events and hook.secret.startswith('whsec_')
    await user.should_not_see(hook.secret)  # until asked for
    user.find(marker=f'webhook-{hook.id}-show-secret').click()
    await user.should_see(marker=f'webhook-{hook.id}-secret', content=hook.secret)
    await user.should_not_see('Webhook URLs start with http:// or https://.')  # the reason is gone
    user.find(marker=f'webhook-{hook.id}-delete').click()
    await eventually(lambda: _count(running_desk, 0))

    user.find(marker='webhook-url').type(receiver.url)
    user.find(marker='webhook-add').click()
    [hook] = await _endpoints(user, running_desk, 1)
    await make_request(running_desk, await make_user(running_desk), title='Printer on fire')
    await eventually(lambda: len(receiver.received) == 1, within=10)
    user.find(marker=f'webhook-{hook.id}-log').click()
    [delivery] = (await running_desk.webhooks.deliveries(actor_id=admin.id, endpoint_id=hook.id)).rows
    await user.should_see(marker=f'delivery-{delivery.id}-status', content='Delivered')
    user.find(marker=f'delivery-{delivery.id}-resend').click()
    await user.should_see(f'Delivery {delivery.uid} is queued again.')
    await eventually(lambda: len(receiver.received) == 2, within=10)
    assert receiver.received[0].delivery == receiver.received[1].delivery == delivery.uid


async def test_an_endpoint_the_app_switched_off_says_so(user: User, running_desk: Desk) -> None:
    admin = await signed_in(user, running_desk, role='admin')
    hook = await running_desk.webhooks.create(actor_id=admin.id,
                                              draft=EndpointDraft('http://127.0.0.1:9/hook', ['ticket.created']))
    async with running_desk.worker.uow(write=True) as uow:
        await uow.webhooks.failed(hook.id)
        await uow.webhooks.disable(hook.id, reason='Switched off after 1 failed deliveries in a row.')
        await uow.commit()
    await user.open('/admin/webhooks')
    await user.should_see(marker=f'webhook-{hook.id}-disabled', content='after 1 failed deliveries in a row')
    user.find(marker=f'webhook-{hook.id}-enabled').click()  # switched on again: the count starts afresh
    await user.should_not_see(marker=f'webhook-{hook.id}-disabled')
    back = await running_desk.webhooks.endpoint(actor_id=admin.id, endpoint_id=hook.id)
    assert back.enabled and back.failures == 0 and back.disabled_reason is None


@pytest.mark.parametrize('role', ['customer', 'agent'])
async def test_the_page_is_refused_to_anyone_but_admins(user: User, running_desk: Desk, role: str) -> None:
    await signed_in(user, running_desk, role=role)
    assert 'Webhooks' not in user.find(kind=NavLinks).elements.pop().shown_texts()
    await user.open('/admin/webhooks')
    await user.should_see('You do not have access to this page.')
    await user.should_not_see('How receivers check a delivery')


async def _count(desk: Desk, count: int) -> bool:
    async with desk.worker.uow() as uow:
        return len(await uow.webhooks.endpoints()) == count


async def _endpoints(user: User, desk: Desk, count: int) -> list[EndpointRow]:
    await eventually(lambda: _count(desk, count))
    async with desk.worker.uow() as uow:
        return await uow.webhooks.endpoints()
