"""/admin/users: admins create agents and admins, change roles, deactivate and reactivate accounts."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from domain.errors import DomainError, PermissionDenied
from domain.permissions import ROLES
from domain.requests.views import UserRow

from ..components.not_found import refused
from ..i18n import error_text, t
from ..tab import Tab

ROLE_NAMES = {'customer': 'Customer', 'agent': 'Agent', 'admin': 'Admin'}


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/admin/users'] = users_page


async def users_page(tab: Tab) -> None:
    try:
        await tab.desk.users.list(actor_id=tab.user.id if tab.user else None)
    except PermissionDenied as error:
        refused(tab, error)
        return
    page = UsersAdmin(tab)
    await page.show()


class UsersAdmin(ui.column):
    def __init__(self, tab: Tab) -> None:
        super().__init__()
        self.classes('w-full gap-2')
        self.tab = tab
        self.page = 1
        with self:
            ui.label(t('Users')).classes('text-h5').props('role=heading aria-level=1')
            with ui.row().classes('w-full items-end gap-4'):
                self.search = ui.input(t('Search users')).props('clearable debounce=300').classes('w-64')
                ui.space()
                ui.button(t('New user'), icon='person_add', on_click=self.new_user_dialog)
            self.rows = ui.column().classes('w-full gap-0').mark('user-list')
            with ui.row().classes('gap-2'):
                self.previous = ui.button(t('Previous'), on_click=lambda: self.show(self.page - 1)).props('flat')
                self.next = ui.button(t('Next'), on_click=lambda: self.show(self.page + 1)).props('flat')
        self.search.on_value_change(lambda: self.show(1))

    async def show(self, page: int | None = None) -> None:
        result = await self.tab.desk.users.list(actor_id=await self.tab.actor_id(), search=self.search.value or '',
                                                page=page or self.page)
        self.page = result.page
        self.rows.clear()
        with self.rows:
            for user in result.rows:
                self._row(user)
        self.previous.set_visibility(result.page > 1)
        self.next.set_visibility(result.has_next)

    def _row(self, user: UserRow) -> None:
        with ui.row().classes('w-full items-center gap-4 py-1 border-b border-grey-4').mark(f'user-{user.username}'):
            ui.label(user.username).classes('w-48 truncate font-medium')
            role = ui.select({r: t(ROLE_NAMES[r]) for r in ROLES}, value=user.role,
                             label=t('Role of {name}', name=user.username)).classes('w-40')
            role.on_value_change(lambda e, u=user: self.act(self.tab.desk.users.set_role(
                actor_id=self.tab.user.id if self.tab.user else None, user_id=u.id, role=e.value)))
            ui.label(t('Active') if user.is_active else t('Deactivated')) \
                .classes('w-28 ' + ('text-positive' if user.is_active else 'text-negative'))
            label = t('Deactivate') if user.is_active else t('Reactivate')
            ui.button(label, on_click=lambda u=user: self.act(self.tab.desk.users.set_active(
                actor_id=self.tab.user.id if self.tab.user else None, user_id=u.id, active=not u.is_active))) \
                .props(f'flat aria-label="{label} {user.username}"')

    async def act(self, action: object) -> None:
        try:
            await action  # type: ignore[misc]
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
        await self.show()

    def new_user_dialog(self) -> None:
        async def create() -> None:
            for field in (username, password):
                field.error = None
            try:
                await self.tab.desk.users.create(actor_id=await self.tab.actor_id(), username=username.value or '',
                                                 password=password.value or '', role=role.value)
            except DomainError as error:
                target = password if error.field == 'password' else username
                target.error = error_text(error)
                return
            dialog.close()
            ui.notify(t('User {name} created.', name=username.value), color='positive')
            await self.show()

        with ui.dialog().props(f'aria-label="{t("New user")}"') as dialog, ui.card().classes('w-full max-w-sm'):
            ui.label(t('New user')).classes('text-h6')
            username = ui.input(t('Username')).classes('w-full').mark('new-username')
            password = ui.input(t('Password'), password=True).classes('w-full').mark('new-password')
            role = ui.select({r: t(ROLE_NAMES[r]) for r in ROLES}, value='agent', label=t('Role')).classes('w-full')
            with ui.row().classes('w-full justify-end'):
                ui.button(t('Cancel'), on_click=dialog.close).props('flat')
                ui.button(t('Create'), on_click=create)
        dialog.open()
