"""Beside a widget conversation, for staff: the page the visitor is on, how they came there, their language."""

from __future__ import annotations

from nicegui import ui

from domain.events import RequestChanged

from ..i18n import t
from ..tab import Tab
from .facts import Facts


class VisitorFacts(ui.column):
    """Read again after every change of the ticket (each message is one), since the visitor may have moved on."""

    def __init__(self, tab: Tab, ticket_id: int) -> None:
        super().__init__()
        self.classes('w-full gap-1').mark('visitor-facts')
        self.tab = tab
        self.ticket_id = ticket_id
        with self:
            ui.label(t('Website visitor')).classes('text-subtitle1').props('role=heading aria-level=2')
            facts = Facts()
            # Text, never links: the visitor's browser wrote these, and a javascript: address is no page to open.
            self.page = facts.line(t('Page')).classes('break-all')
            self.referrer = facts.line(t('Came from')).classes('break-all')
            self.language = facts.line(t('Browser language'))
            self.email = facts.line(t('Email'))

    async def refresh(self, _event: RequestChanged | None = None) -> None:
        found = await self.tab.desk.widget_chat.facts(viewer_id=self.tab.user.id if self.tab.user else None,
                                                      request_id=self.ticket_id)
        self.set_visibility(found is not None)
        if found is not None:
            self.page.set_text(found.page_url or '—')
            self.referrer.set_text(found.referrer or '—')
            self.language.set_text(found.language or '—')
            self.email.set_text(found.email or '—')


async def visitor_facts(tab: Tab, ticket_id: int) -> None:
    """The facts of a widget ticket's visitor, kept up to date while the ticket is open."""
    facts = VisitorFacts(tab, ticket_id)
    await facts.refresh()
    tab.live.watch(RequestChanged, facts.refresh, key=ticket_id, container=facts, resync=facts.refresh)
