"""/admin/webhooks: admins register endpoints that receive events, read each one's delivery log and resend."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.errors import DomainError, PermissionDenied
from domain.webhooks.service import EndpointDraft, EndpointRow
from domain.webhooks.signing import VERIFIER

from ..components.not_found import not_found
from ..components.webhook_deliveries import DeliveryLog
from ..components.webhook_endpoint import EndpointCard
from ..components.webhook_form import WebhookForm
from ..i18n import error_text, t
from ..tab import Tab


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/admin/webhooks'] = webhooks_page


async def webhooks_page(tab: Tab) -> None:
    try:
        endpoints = await tab.desk.webhooks.endpoints(actor_id=tab.user.id if tab.user else None)
    except PermissionDenied:  # anyone but an admin: the page does not exist for them
        not_found()
        return
    ui.page_title(f'{t("Webhooks")} · Switchboard')
    with ui.row().classes('w-full items-baseline gap-2'):
        ui.label(t('Administration')).classes('text-h5 text-grey-7')
        ui.label('→').classes('text-h5 text-grey-7').props('aria-hidden=true')
        ui.label(t('Webhooks')).classes('text-h5').props('role=heading aria-level=1')
    WebhooksAdmin(tab, endpoints)


class WebhooksAdmin(ui.column):
    def __init__(self, tab: Tab, endpoints: list[EndpointRow]) -> None:
        super().__init__()
        self.classes('w-full gap-4')
        self.tab = tab
        with self:
            help_text()
            WebhookForm(self.add)
            self.list = ui.column().classes('w-full gap-2').mark('webhook-list')
            self.empty = ui.label(t('No endpoints yet.')).classes('text-grey-7')
            self.log = ui.column().classes('w-full')
        self.show(endpoints)

    def show(self, endpoints: list[EndpointRow]) -> None:
        self.list.clear()
        with self.list:
            for endpoint in endpoints:
                EndpointCard(endpoint, switch=self.switch, show_log=self.show_log, delete=self.delete)
        self.empty.set_visibility(not endpoints)

    async def reload(self) -> None:
        self.show(await self.tab.desk.webhooks.endpoints(actor_id=await self.tab.actor_id()))

    async def add(self, draft: EndpointDraft) -> None:
        endpoint = await self.tab.desk.webhooks.create(actor_id=await self.tab.actor_id(), draft=draft)
        ui.notify(t('Endpoint #{id} added.', id=endpoint.id), color='positive')
        await self.reload()

    async def switch(self, endpoint: EndpointRow, enabled: bool) -> None:
        if enabled == endpoint.enabled:
            return
        await self._act(self.tab.desk.webhooks.change(actor_id=await self.tab.actor_id(), endpoint_id=endpoint.id,
                                                      enabled=enabled))

    async def delete(self, endpoint: EndpointRow) -> None:
        await self._act(self.tab.desk.webhooks.delete(actor_id=await self.tab.actor_id(), endpoint_id=endpoint.id))
        self.log.clear()

    async def show_log(self, endpoint: EndpointRow) -> None:
        self.log.clear()
        with self.log:
            log = DeliveryLog(self.tab, endpoint)
        await log.load_more()

    async def _act(self, change: object) -> None:
        try:
            await change  # type: ignore[misc]
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
        await self.reload()


def help_text() -> None:
    with ui.expansion(t('How receivers check a delivery'), icon='help_outline').classes('w-full') \
            .mark('webhook-help'):
        ui.label(t('Each event is POSTed as JSON. X-Switchboard-Delivery names the delivery and stays the same on '
                   'every retry and resend: drop a repeat by it. X-Switchboard-Signature is "t=<unix time>,v1=<hex>": '
                   'an HMAC-SHA256 with the endpoint\'s secret over the time, a dot and the raw body. Refuse a time '
                   'more than five minutes off, so a recorded delivery replayed later is refused. In Python:'))
        ui.code(VERIFIER, language='python').classes('w-full')
        ui.label(t('Failed attempts are retried with growing pauses for about eight minutes; an endpoint whose '
                   'deliveries keep failing is switched off, and admins are told by email and in the audit log.'))
