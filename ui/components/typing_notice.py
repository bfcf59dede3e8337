""""… is typing": shown on a Typing event from the other side, hidden a few seconds after the last one."""

from __future__ import annotations

import time

from nicegui import ui

from domain.events import Typing

SHOWN_FOR = 4.0


class TypingNotice(ui.label):
    def __init__(self, text: str, *, from_staff: bool) -> None:
        super().__init__(text)
        self.classes('text-caption text-grey-7 italic').props('aria-live=polite').mark('typing')
        self.from_staff = from_staff
        self._until = 0.0
        self.set_visibility(False)
        ui.timer(1.0, self._expire)

    async def on_typing(self, event: Typing) -> None:
        if event.staff == self.from_staff:
            self._until = time.monotonic() + SHOWN_FOR
            self.set_visibility(True)

    def hide(self) -> None:
        self._until = 0.0
        self.set_visibility(False)

    def _expire(self) -> None:
        if self.visible and time.monotonic() > self._until:
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
