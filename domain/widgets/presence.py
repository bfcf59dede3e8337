"""Who has a page of this app open now: staff (is anyone there to answer a widget?) and widget visitors (is the
visitor watching, or should an answer go by email?).

Pages report themselves: a staff member's tab once connected until NiceGUI deletes its client (a closed tab counts
for the reconnect timeout longer), a widget frame likewise. It is per process: with several app instances each
knows only its own tabs, so the widget says "online" when an agent has the desk open on the instance that serves
the visitor. Sticky sessions put a site's visitors and agents on the same few instances; say so in the README.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

Listener = Callable[[bool], None]


@dataclass
class Presence:
    _staff: Counter[int] = field(default_factory=Counter)  # user id -> open tabs
    _visitors: Counter[int] = field(default_factory=Counter)  # acting user id -> open widget frames
    _listeners: list[Listener] = field(default_factory=list)

    def staff_online(self) -> bool:
        return bool(self._staff)

    def visitor_here(self, user_id: int) -> bool:
        return self._visitors[user_id] > 0

    def arrive(self, user_id: int, *, staff: bool) -> Callable[[], None]:
        """One more open tab of this user; returns what to call (once; again is harmless) when it closes."""
        counts = self._staff if staff else self._visitors
        before = self.staff_online()
        counts[user_id] += 1
        self._tell(before)
        left = False

        def leave() -> None:
            nonlocal left
            if left:
                return
            left = True
            before = self.staff_online()
            counts[user_id] -= 1
            if counts[user_id] <= 0:
                del counts[user_id]
            self._tell(before)

        return leave

    def on_change(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(online)` whenever staff come online (the first tab) or go (the last); returns unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _tell(self, before: bool) -> None:
        now = self.staff_online()
        if now != before:
            for listener in list(self._listeners):
                listener(now)
