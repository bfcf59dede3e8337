"""What one browser tab knows: the desk, who is signed in, and its live subscriptions."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from nicegui import background_tasks

from domain.desk import Desk
from domain.requests.views import UserRow

from .live import LiveTab

SESSION = 'session'
NOTICE = 'notice'  # one message for the next page, left by the sign-in routes (channels/oauth.py)
DRAFTS = 'drafts'


@dataclass(eq=False)
class Tab:
    desk: Desk
    user: UserRow | None
    live: LiveTab
    # This browser's `app.storage.user`, held directly: handlers running outside the page's request
    # (hub callbacks, background tasks) must still reach the right browser's session.
    storage: MutableMapping[str, Any]
    account_changed: list[Callable[[], object]] = field(default_factory=list)  # parts of the page to build again
    providers: Mapping[str, str] = field(default_factory=dict)  # OAuth providers people may sign in with: key -> name
    address: str = 'unknown'  # the browser's address as the rate limits see it: the sign-in throttle's key

    async def actor_id(self) -> int | None:
        """Who acts now: the browser's session is checked again, since another tab may have signed out."""
        return await self.desk.accounts.session_user_id(self.storage.get(SESSION))

    def signed_in(self, user: UserRow, token: str) -> None:
        self.storage[SESSION] = token
        self._set_user(user)

    def signed_out(self) -> None:
        self.storage.pop(SESSION, None)
        self._set_user(None)

    def take_notice(self) -> dict[str, Any] | None:
        """The message left for this browser's next page (`text` template, `params`, `ok`), once."""
        notice = self.storage.pop(NOTICE, None)
        return notice if isinstance(notice, dict) and isinstance(notice.get('text'), str) else None

    def save_draft(self, key: str, text: str) -> None:
        """Keep what someone typed when it could not be sent, until they are back (same browser)."""
        self.storage[DRAFTS] = {**self.storage.get(DRAFTS, {}), key: text}

    def take_draft(self, key: str) -> str:
        drafts = dict(self.storage.get(DRAFTS, {}))
        text = drafts.pop(key, '')
        if text:
            self.storage[DRAFTS] = drafts
        return text

    def close(self) -> None:
        """The page is gone: let go of its callbacks, which are bound to its elements (and they hold this tab)."""
        self.account_changed.clear()

    def _set_user(self, user: UserRow | None) -> None:
        self.user = user
        for callback in self.account_changed:
            pending = callback()
            if inspect.isawaitable(pending):
                background_tasks.create(pending, name='rebuild after sign-in or sign-out')
