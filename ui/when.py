"""Times as the viewer reads them: in their time zone, recent ones relative ("5 min ago"), the exact time on hover.

The tab's zone is the one chosen on the profile, else the one the browser reported (asked once per browser session
with one line of JavaScript, then remembered in `app.storage.user`), else UTC.
"""

from __future__ import annotations

import asyncio
import functools
import html
import logging
import time
import weakref
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

from nicegui import Client, app, background_tasks, ui

from . import i18n
from .i18n import t

log = logging.getLogger(__name__)

ZONE = 'zone'  # app.storage.client: this tab's zone name
BROWSER_ZONE = 'browser_zone'  # app.storage.user: what this browser reported, for its next tabs
ASK_BROWSER = 'Intl.DateTimeFormat().resolvedOptions().timeZone'  # the one JavaScript call (see README)
ASK_TIMEOUT = 5.0  # s; a browser that never answers leaves the tab in the zone it has
TICK = 30.0  # s between refreshes of a tab's relative times ("5 min ago" counts minutes)
SHARED_FOR = 10  # s: a relative time made for one tab is shown in others for this long ("just now" a little longer)
TICKING_FOR = timedelta(days=1)  # older times read as a date, which does not change: they stop ticking
clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731 -- replaced by tests that move time on


def zone_name() -> str:
    try:
        return app.storage.client.get(ZONE, 'UTC')
    except RuntimeError:  # outside a page (a background task with no slot)
        return 'UTC'


def set_zone(client: Client, name: str | None) -> str:
    """Show the client's times in `name` (UTC if unknown); the client is passed, since this also runs from
    handlers whose elements were just replaced (the sign-in form)."""
    client.storage[ZONE] = name if name and zone(name) is not None else 'UTC'
    return client.storage[ZONE]


@functools.cache
def zone(name: str) -> tzinfo | None:
    """The zone of an IANA name, or None for a name this system does not know."""
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError; a path-like name a ValueError
        return None


def now() -> datetime:
    return clock()


def minute() -> int:
    """The current minute's number: part of the key of anything cached with a relative time in it."""
    return int(time.time() // 60)


def local(moment: datetime) -> datetime:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # stored times are UTC
    return aware.astimezone(zone(zone_name()) or UTC)


def when(moment: datetime, *, at: datetime | None = None) -> str:
    """`moment` for reading: "just now", "5 min ago", "3 h ago" (today), "yesterday, 14:05", else the date."""
    shown = local(moment)
    current = local(at or now())
    age = current - shown
    if age < timedelta(seconds=-60):  # in the future (a due time): the plain date and time
        return f'{shown:%Y-%m-%d %H:%M}'
    if age < timedelta(minutes=1):
        return t('just now')
    if age < timedelta(hours=1):
        return t('{count} min ago', count=int(age.total_seconds() // 60))
    if shown.date() == current.date():
        return t('{count} h ago', count=int(age.total_seconds() // 3600))
    if shown.date() == current.date() - timedelta(days=1):
        return t('yesterday, {time}', time=f'{shown:%H:%M}')
    return f'{shown:%Y-%m-%d %H:%M}'


def exact(moment: datetime, *, seconds: bool = True) -> str:
    """The full local time with its zone, for the tooltip: "2026-12-07 14:05:09 (Europe/Berlin)"."""
    shown = f'{local(moment):%Y-%m-%d %H:%M:%S}' if seconds else f'{local(moment):%Y-%m-%d %H:%M}'
    return f'{shown} ({zone_name()})'


def when_html(moment: datetime) -> str:
    """`when` as HTML for rows and bubbles built as markup, the exact time in its title."""
    return f'<span title="{html.escape(exact(moment), quote=True)}">{html.escape(when(moment))}</span>'


class Moment(ui.label):
    """A time as a label: relative text, the exact local time on hover (title) and for screen readers."""

    def __init__(self, moment: datetime | None = None, *, none: str = '—', precise: bool = False) -> None:
        super().__init__()
        self.none = none
        self.precise = precise  # logs (audit, jobs): the local time to the second rather than "5 min ago"
        self.moment: datetime | None = None
        self.show(moment)

    def show(self, moment: datetime | None) -> None:
        """Sends nothing when neither text nor title changed: a request's "Updated" is shown again in every open
        tab on each of its messages, and its title is to the minute (to the second only in logs) for that reason."""
        self.moment = moment
        if moment is None:
            text, title = self.none, None
        else:
            shared = int(now().timestamp() // SHARED_FOR)
            text, title = _texts(moment, self.precise, i18n.language(), zone_name(), shared)
            if not self.precise and is_recent(moment):
                Ticker.of(self.client).add(self)  # "5 min ago" must become "6 min ago" (held weakly)
        if text == self.text and title == self._props.get('title'):
            return
        if title is None:
            self._props.pop('title', None)
        else:
            self._props['title'] = title
        self.set_text(text)
        self.update()  # the title alone may have changed

    def tick(self) -> bool:
        """Read the time again ("5 min ago" becomes "6 min ago"); False once it no longer changes."""
        if self.moment is None or self.is_deleted or not is_recent(self.moment):
            return False
        text = when(self.moment)
        if text != self.text:
            self.set_text(text)  # sends only this label's new text
        return True


@functools.lru_cache(maxsize=4096)
def _texts(moment: datetime, precise: bool, _language: str, _zone: str, _now: int) -> tuple[str, str]:
    """A Moment's text and title, made once for every tab that shows the same time in the same language and zone
    within SHARED_FOR seconds: a request's "Updated" changes in each of its open tabs on every message, and making
    them in each tab was half of what a tab did for a message (bench/live_load.py scenario 1)."""
    text = f'{local(moment):%Y-%m-%d %H:%M:%S}' if precise else when(moment)
    return text, exact(moment, seconds=precise)


def is_recent(moment: datetime) -> bool:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return now() - aware < TICKING_FOR


class Ticking(Protocol):
    def tick(self) -> bool:
        """Show the times again; False once none of them can change any more."""
        ...


class Ticker:
    """A tab's recent relative times (Moment labels, message bubbles' stamps), held weakly so a left page's elements
    go. One loop for the whole process refreshes every tab's: a timer per tab would be a task per tab, and its
    sleeping task held a closed tab's page until its next tick; a timer per label would cost far more."""

    _of: dict[str, Ticker] = {}  # by client id, until the client is deleted
    _loop: asyncio.Task[None] | None = None

    def __init__(self, client: Client) -> None:
        self.client = client
        self.labels: weakref.WeakSet[Ticking] = weakref.WeakSet()

    @classmethod
    def of(cls, client: Client) -> Ticker:
        ticker = cls._of.get(client.id)
        if ticker is None:
            ticker = cls._of[client.id] = Ticker(client)
            client_id = client.id  # not the client itself: its own delete handler would hold it in a cycle
            client.on_delete(lambda: cls._of.pop(client_id, None))
        if cls._loop is None or cls._loop.done():
            cls._loop = background_tasks.create(cls._run(), name='refresh relative times')
        return ticker

    def add(self, label: Ticking) -> None:
        self.labels.add(label)

    def tick(self) -> None:
        with self.client:  # the tab's context: its zone and language hold
            for label in list(self.labels):
                if not label.tick():
                    self.labels.discard(label)

    @classmethod
    async def _run(cls) -> None:
        while cls._of:  # ends with the last tab; the next recent time starts it again
            await asyncio.sleep(TICK)
            for ticker in list(cls._of.values()):
                if not ticker.labels or ticker.client.id not in Client.instances:
                    continue
                try:
                    ticker.tick()
                except Exception:  # one tab's failure must not stop every other tab's times
                    log.exception('refreshing the relative times of a tab failed')


async def ask_browser(client: Client) -> str | None:
    """The browser's zone name, if it says one this system knows; None if it does not answer in time."""
    try:
        await client.connected(timeout=ASK_TIMEOUT)
        name = await client.run_javascript(ASK_BROWSER, timeout=ASK_TIMEOUT)
    except TimeoutError:  # a tab closed at once, or a client that runs no JavaScript (a load generator)
        return None
    return name if isinstance(name, str) and zone(name) is not None else None
