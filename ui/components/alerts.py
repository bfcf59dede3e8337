"""A staff tab is told when a customer writes: a toast naming the customer and the ticket, with a link to open it;
and, as the agent chose on the profile, a short sound and a browser notification.

Which messages concern the agent (their tickets, unassigned ones in the queues they work) is decided once per
message by domain.tickets.alerts; this tab only listens under its own keys, so other messages cost it nothing.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable

from nicegui import ui

from domain import permissions
from domain.errors import DomainError
from domain.tickets.alerts import (
    AlertChoices,
    AlertChoicesChanged,
    CustomerWrote,
    CustomerWroteToAgent,
    CustomerWroteToQueue,
)

from ..i18n import t
from ..tab import Tab
from .desk_row import ticket_path

# The browser holds these facts, so each is one line of JavaScript (listed in README, "JavaScript").
SOUND = ('(() => { const c = new AudioContext(), o = c.createOscillator(), g = c.createGain(); '
         'o.frequency.value = 880; g.gain.setValueAtTime(0.08, c.currentTime); '
         'g.gain.exponentialRampToValueAtTime(0.0001, c.currentTime + 0.25); o.connect(g).connect(c.destination); '
         'o.onended = () => c.close(); o.start(); o.stop(c.currentTime + 0.25); })()')
NOTIFY = ('window.Notification && Notification.permission === "granted" && '
          'new Notification({title}, {{body: {body}, tag: {tag}}}) && null')
ASK_PERMISSION = 'window.Notification ? Notification.requestPermission() : "unsupported"'
AGAIN_AFTER = 20.0  # s: the same ticket toasts once per burst of its customer's messages
QUIET_FOR = 3.0  # s after a toast in which this tab shows no other: a busy desk (50 messages/s) would otherwise
# make every agent's tab draw 50 toasts a second; the inbox still lists every message
SOUND_AGAIN_AFTER = 5.0  # s between sounds, however many tickets get messages
SHOWN_AT_ONCE = 3  # toasts on screen; the oldest goes when a fourth comes


class Alerts:
    """One per staff tab, made by the root page; it follows the tab's sign-in and the agent's saved choices."""

    def __init__(self, tab: Tab, container: ui.element) -> None:
        self.tab = tab
        self.container = container  # lives as long as the tab: the sub pages' frame
        self.choices = AlertChoices()
        self._stops: list[Callable[[], None]] = []
        self._told: dict[int, float] = {}  # request id -> when its last toast showed (monotonic)
        self._sounded = -SOUND_AGAIN_AFTER
        self._starts = 0  # a start overtaken by a later one (sign-in, then saved choices) subscribes nothing
        self._toasted = -QUIET_FOR
        self._shown: deque[ui.notification] = deque()

    async def start(self) -> None:
        """Listen for what concerns the signed-in agent; nothing for customers and visitors."""
        self.stop()
        self._starts += 1
        started = self._starts
        user = self.tab.user
        if user is None or not permissions.is_staff(user):
            return
        try:
            self.choices = await self.tab.desk.alerts.choices(actor_id=user.id)
        except DomainError:
            return  # signed out or no longer staff meanwhile: the next sign-in starts again
        if self.container.is_deleted or self.tab.user is not user or started != self._starts:
            return
        live = self.tab.live
        self._stops.append(live.watch(CustomerWroteToAgent, self.wrote, key=user.id, container=self.container,
                                      only=self.due))
        for queue_id in self.choices.queue_ids if self.choices.queue_ids is not None else (None,):
            self._stops.append(live.watch(CustomerWroteToQueue, self.wrote, key=queue_id, container=self.container,
                                          only=self.due))
        self._stops.append(live.watch(AlertChoicesChanged, lambda _event: self.start(), key=user.id,
                                      container=self.container))

    def stop(self) -> None:
        for stop in self._stops:
            stop()
        self._stops.clear()

    def due(self, event: CustomerWrote) -> bool:
        """Whether this tab toasts now; asked before the page's context is entered, which on a busy desk (a
        message for every agent's tab, most of them in a quiet spell) cost more than the answer."""
        user = self.tab.user
        if user is None or event.author_id == user.id:
            return False
        now = time.monotonic()
        if now - self._toasted < QUIET_FOR or now - self._told.get(event.request_id, -AGAIN_AFTER) < AGAIN_AFTER:
            return False
        # Else unless the agent is looking at it: the thread shows the message.
        return self.tab.live.client.sub_pages_router.current_path.split('?')[0] != ticket_path(event.request_id)

    def wrote(self, event: CustomerWrote) -> None:
        path = ticket_path(event.request_id)
        now = time.monotonic()
        self._toasted = now
        self._told = {key: at for key, at in self._told.items() if now - at < AGAIN_AFTER}
        self._told[event.request_id] = now
        self._toast(event, path)
        if self.choices.sound and now - self._sounded >= SOUND_AGAIN_AFTER:
            self._sounded = now
            in_browser(SOUND)
        if self.choices.browser:
            in_browser(NOTIFY.format(title=json.dumps(t('{name} wrote', name=event.customer)),
                                            body=json.dumps(event.title), tag=json.dumps(path)))

    def _toast(self, event: CustomerWrote, path: str) -> None:
        """ui.notify's element form: it shows in this tab only, and goes away by itself."""
        while len(self._shown) >= SHOWN_AT_ONCE:
            oldest = self._shown.popleft()
            if not oldest.is_deleted:
                oldest.dismiss()
        # The action is a button with an address: NiceGUI's sub pages open it in place, as any link of the app.
        note = ui.notification(t('{name} wrote: {title}', name=event.customer, title=event.title),
                               position='top-right', type='info', icon='chat', timeout=8, close_button=False,
                               multi_line=True, actions=[{'label': t('Open ticket'), 'href': path, 'color': 'white',
                                                          'noCaps': True}]).mark('customer-wrote')
        self._shown = deque(shown for shown in self._shown if not shown.is_deleted)
        self._shown.append(note)


def in_browser(code: str) -> None:
    """Run a line in this tab's browser without waiting for it (a sound, a notification: nothing comes back)."""
    ui.run_javascript(code)


async def watch(tab: Tab, container: ui.element) -> Alerts:
    """The root page's one line: start now, and again whenever someone signs in or out in this tab."""
    alerts = Alerts(tab, container)
    tab.account_changed.append(alerts.start)
    await alerts.start()
    return alerts
