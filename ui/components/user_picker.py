"""A searchable choice of users for staff: type part of a name, username or email; the server finds the matches."""

from __future__ import annotations

from typing import Any

from nicegui import background_tasks, ui
from nicegui.events import GenericEventArguments

from domain.desk import Desk
from storage.users import UserChoice


def choice_label(user: UserChoice) -> str:
    """Name, username and email: what the person choosing may know them by (the search matches each)."""
    parts = [user.display_name]
    if user.username.casefold() != user.display_name.casefold():
        parts.append(f'@{user.username}')
    label = ' · '.join(parts)
    return f'{label} · {user.email}' if user.email else label


class UserPicker(ui.select):
    """`value`: a user id (a list of them when `multiple`); `extra`: fixed choices first (e.g. "Nobody": '')."""

    def __init__(self, desk: Desk, actor_id: int | None, *, label: str, value: Any = None, staff_only: bool = False,
                 multiple: bool = False, extra: dict[Any, str] | None = None) -> None:
        self.desk, self.actor_id, self.staff_only = desk, actor_id, staff_only
        self.extra = dict(extra or {})
        chosen = [v for v in (value if isinstance(value, list) else [value]) if v is not None]
        # Ids chosen earlier show as "#id" for the moment it takes to read their names.
        options = {**self.extra, **{user_id: f'#{user_id}' for user_id in chosen if user_id not in self.extra}}
        super().__init__(options, label=label, value=value if value in options or multiple else None,
                         with_input=True, multiple=multiple)
        self.props('input-debounce=250')
        if multiple:
            self.props('use-chips')
        self.on('input-value', self._typed)
        self.known: dict[Any, str] = dict(options)
        background_tasks.create(self._search('', keep=chosen), name='user picker: first choices')

    async def _typed(self, event: GenericEventArguments) -> None:
        await self._search(str(event.args or ''))

    async def _search(self, text: str, *, keep: list[Any] | None = None) -> None:
        found = await self.desk.users.search(actor_id=self.actor_id, text=text, staff_only=self.staff_only)
        if keep:
            found += await self.desk.users.choices(actor_id=self.actor_id,
                                                    user_ids=[v for v in keep if isinstance(v, int)])
        if self.is_deleted:
            return
        self.known.update({user.id: choice_label(user) for user in found})
        current = self.value if isinstance(self.value, list) else [self.value]
        # The chosen ones stay offered, or the select would drop them; then the fixed choices, then the matches.
        options = {**self.extra, **{v: self.known[v] for v in current if v in self.known},
                   **{user.id: choice_label(user) for user in found}}
        self.set_options(options, value=self.value)
