""""… is typing": shown on a Typing event from the other side, hidden a few seconds after the last one."""

from __future__ import annotations

import asyncio
import time

from nicegui import ui

from domain.events import Typing

SHOWN_FOR = 4.0


class TypingNotice(ui.label):
    """Hidden again by one timer call after the last Typing event, not by a ticking ui.timer: a support floor keeps
    hundreds of chats open, and each tab's timer woke the server every second for nothing."""

    def __init__(self, text: str, *, from_staff: bool) -> None:
        super().__init__(text)
        self.classes('text-caption text-grey-7 italic').props('aria-live=polite').mark('typing')
        self.from_staff = from_staff
        self._until = 0.0
        self._expiry: asyncio.TimerHandle | None = None
        self.set_visibility(False)

    async def on_typing(self, event: Typing) -> None:
        if event.staff == self.from_staff:
            self._until = time.monotonic() + SHOWN_FOR
            self.set_visibility(True)
            if self._expiry is None:
                self._expiry = asyncio.get_running_loop().call_later(SHOWN_FOR, self._expire)

    def hide(self) -> None:
        self._until = 0.0
        self.set_visibility(False)

    def _expire(self) -> None:
        """Hide once the last Typing event is SHOWN_FOR old; a later one moved the moment on, so look again then."""
        self._expiry = None
        if self.is_deleted or not self.visible:
            return
        left = self._until - time.monotonic()
        if left > 0:
            self._expiry = asyncio.get_running_loop().call_later(left, self._expire)
        else:
            self.set_visibility(False)


class TypingSignal:
    """Tells the other side at most every few seconds while someone types, not on every key."""

    def __init__(self, every: float = 2.0) -> None:
        self.every = every
        self._last = 0.0

    def due(self) -> bool:
        now = time.monotonic()
        if now - self._last < self.every:
            return False
        self._last = now
        return True
