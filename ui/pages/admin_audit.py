"""/admin/audit: every action in the event log, filtered by user, action, request and dates, paged, exported as CSV."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from urllib.parse import urlencode

from nicegui import events, ui

from domain.audit import AuditEntry, AuditQuery
from domain.errors import DomainError, InvalidInput, PermissionDenied
from domain.requests.views import UserRow
from domain.slices import Slice

from ..components.audit_row import AuditRowView, action_name, audit_list_header
from ..components.not_found import refused
from ..i18n import error_text, t
from ..tab import Tab

PAGE = 50
USER_CHOICES = 20  # users offered in the filter at a time; typing narrows them
EVERY = ''


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/admin/audit'] = audit_page


async def audit_page(tab: Tab) -> None:
    actor_id = tab.user.id if tab.user else None
    try:
        kinds = await tab.desk.audit.kinds(actor_id=actor_id)
        users = (await tab.desk.users.browse(actor_id=actor_id, limit=USER_CHOICES)).rows
    except PermissionDenied as error:
        refused(tab, error)
        return
    # The browser draws the date inputs' calendar icon dark on Quasar's dark page unless told otherwise.
    ui.add_css('.body--dark .sb-date input { color-scheme: dark; }')
    page = AuditLog(tab, kinds, users)
    await page.reload()


class AuditLog(ui.column):
    def __init__(self, tab: Tab, kinds: list[str], users: list[UserRow]) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.last_id: int | None = None
        self._lock = asyncio.Lock()
        with self:
            with ui.row().classes('w-full items-center gap-2'):
                ui.label(t('Audit log')).classes('text-h5').props('role=heading aria-level=1')
                ui.space()
                ui.button(t('Export CSV'), icon='download', on_click=self.export).props('outline') \
                    .mark('audit-export')
            with ui.row().classes('w-full items-start gap-4'):
                self.user = ui.select(_user_options(users), with_input=True, clearable=True, label=t('User')) \
                    .props('input-debounce=300').classes('w-56').mark('audit-user')
                self.action = ui.select({EVERY: t('All actions'), **{kind: action_name(kind) for kind in kinds}},
                                        value=EVERY, label=t('Action')).classes('w-56').mark('audit-action')
                self.request = ui.number(t('Request number'), min=1, step=1, format='%d') \
                    .props('clearable').classes('w-40').mark('audit-request')
                self.date_from = ui.input(t('From (UTC)')).props('type=date stack-label clearable') \
                    .classes('w-44 sb-date').mark('audit-from')
                self.date_to = ui.input(t('To (UTC)')).props('type=date stack-label clearable') \
                    .classes('w-44 sb-date').mark('audit-to')
            with ui.element('div').classes('w-full overflow-x-auto'):
                with ui.element('div').classes('min-w-[60rem]').props(f'role=table aria-label="{t("Audit log")}"'):
                    audit_list_header()
                    self.list = ui.column().classes('w-full gap-0').props('role=rowgroup').mark('audit-list')
            self.empty = ui.label(t('No actions match.')).classes('text-grey-7 p-2')
            self.more = ui.button(t('Load more'), on_click=self.load_more).props('flat').mark('audit-more')
        self.user.on('input-value', self.find_users)
        for control in (self.user, self.action, self.request, self.date_from, self.date_to):
            control.on_value_change(self.reload)

    def query(self) -> AuditQuery:
        request = self.request.value
        return AuditQuery(user_id=self.user.value, kind=self.action.value or '',
                          request_id=int(request) if request is not None else None,
                          date_from=self.date_from.value or None, date_to=self.date_to.value or None)

    async def reload(self) -> None:
        """The newest actions that match the filters, from the top."""
        async with self._lock:
            page = await self._read(None)
            if page is None or self.is_deleted:
                return
            self.list.clear()
            self._append(page.rows, page.more)

    async def load_more(self) -> None:
        async with self._lock:
            page = await self._read(self.last_id)
            if page is not None and not self.is_deleted:
                self._append(page.rows, page.more)

    async def _read(self, before_id: int | None, limit: int = PAGE) -> Slice[AuditEntry] | None:
        """A page, or None after showing what is wrong with the filters beside the field (nothing typed is lost)."""
        for field in (self.request, self.date_from, self.date_to):
            field.error = None
        try:
            return await self.tab.desk.audit.page(actor_id=await self.tab.actor_id(), query=self.query(),
                                                  before_id=before_id, limit=limit)
        except InvalidInput as error:
            self._show_error(error)
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
        return None

    def _append(self, rows: list[AuditEntry], more: bool) -> None:
        with self.list:
            for item in rows:
                AuditRowView(item)
        if rows:
            self.last_id = rows[-1].id
        self.empty.set_visibility(not self.list.default_slot.children)
        self.more.set_visibility(more)

    def _show_error(self, error: InvalidInput) -> None:
        fields = {'request_id': self.request, 'date_from': self.date_from, 'date_to': self.date_to}
        target = fields.get(error.field or '')
        if target is not None:
            target.error = error_text(error)
        else:
            ui.notify(error_text(error), color='negative')

    async def find_users(self, event: events.GenericEventArguments) -> None:
        """Offer the users whose name holds what was typed; the chosen one stays offered."""
        search = event.args if isinstance(event.args, str) else ''
        try:
            found = await self.tab.desk.users.browse(actor_id=await self.tab.actor_id(), search=search,
                                                     limit=USER_CHOICES)
        except DomainError:
            return
        options = _user_options(found.rows)
        if self.user.value is not None and self.user.value not in options:
            options[self.user.value] = self.user.options.get(self.user.value, str(self.user.value))
        self.user.set_options(options)

    async def export(self) -> None:
        """Download the filtered log; the filters are checked here first, so a mistake shows on the page."""
        if await self._read(None, limit=1) is None:
            return
        query = self.query()
        params = {'user': query.user_id, 'action': query.kind, 'request': query.request_id,
                  'from': query.date_from, 'to': query.date_to}
        ui.download.from_url('/admin/audit.csv?' + urlencode({k: v for k, v in params.items() if v}))


def _user_options(users: list[UserRow]) -> dict[int, str]:
    return {user.id: user.username if user.display_name == user.username else f'{user.display_name} ({user.username})'
            for user in users}
