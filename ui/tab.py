"""What one browser tab knows: the desk, who is signed in, and its live subscriptions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from nicegui import app

from domain.desk import Desk
from storage.rows import UserRow

from .live import LiveTab

SESSION = 'session'
DRAFTS = 'drafts'


@dataclass(eq=False)
class Tab:
    desk: Desk
    user: UserRow | None
    live: LiveTab
    account_changed: list[Callable[[], None]] = field(default_factory=list)

    async def actor_id(self) -> int | None:
        """Who acts now: the browser's session is checked again, since another tab may have signed out."""
        user = await self.desk.accounts.session_user(app.storage.user.get(SESSION))
        return user.id if user else None

    def signed_in(self, user: UserRow, token: str) -> None:
        app.storage.user[SESSION] = token
        self._set_user(user)

    def signed_out(self) -> None:
        app.storage.user.pop(SESSION, None)
        self._set_user(None)

    def _set_user(self, user: UserRow | None) -> None:
        self.user = user
        for callback in self.account_changed:
            callback()


def save_draft(key: str, text: str) -> None:
    """Keep what someone typed when it could not be sent, until they are back (same browser)."""
    drafts = dict(app.storage.user.get(DRAFTS, {}))
    drafts[key] = text
    app.storage.user[DRAFTS] = drafts


def take_draft(key: str) -> str:
    drafts = dict(app.storage.user.get(DRAFTS, {}))
    text = drafts.pop(key, '')
    if text:
        app.storage.user[DRAFTS] = drafts
    return text
