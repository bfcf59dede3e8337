"""The ticket-list mix of bench/api_load.py (--mix tickets): what an agent of a Telegram desk does over the API.

Each client is one agent's session: it lists tickets with one of the filters below (and follows next_cursor for
page 2 and 3 with the same filters, as a client scrolling does), opens a ticket it saw in a list, reads its
messages, and now and then answers one (a reply in a private queue's ticket) or moves the ticket it just opened
to another status that is not a closed one (from the ticket's own next_statuses: no 4xx by design).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode

# (name, weight in %, what it sends); a call that cannot be made yet (no page to follow, no ticket seen) becomes a
# list or a get instead, so the counts in the report are what was sent.
TICKETS_MIX = (
    ('mine', 12, 'GET /tickets?kind=open&assignee=me&sort=updated&order=desc'),
    ('queue', 10, 'GET /tickets?queue_id&status_id'),
    ('telegram', 6, 'GET /tickets?channel=telegram, 1 in 2 &kind=open'),
    ('search', 5, 'GET /tickets?search=<word or customer name>'),
    ('created', 5, 'GET /tickets?created_from&created_to (a week)&sort=created'),
    ('next', 10, 'GET /tickets?<same filters>&cursor: page 2 or 3 of the last list'),
    ('get', 22, 'GET /tickets/{id} of a listed one'),
    ('messages', 22, 'GET /tickets/{id}/messages'),
    ('reply', 5, 'POST /tickets/{id}/replies in a private queue'),
    ('status', 3, 'POST /tickets/{id}/status right after opening it'),
)
LISTS = ('mine', 'queue', 'telegram', 'search', 'created')
PAGES = 3  # follow next_cursor up to this page
WEEK = 7 * 86_400


@dataclass(frozen=True)
class TicketsPlan:
    """What every client of the mix may ask about (from tickets_seed.TicketsSeed)."""

    queues: tuple[tuple[int, bool, tuple[int, ...]], ...]  # (queue id, private, status ids)
    search_words: tuple[str, ...]
    created_first: float
    created_last: float


@dataclass
class TicketsClient:
    """One agent's session: picks the next call from the mix and remembers what it saw."""

    plan: TicketsPlan
    rng: random.Random
    query: dict[str, str | list[str]] = field(default_factory=dict)  # the last list's filters
    cursor: str | None = None
    page: int = 1
    rows: list[dict] = field(default_factory=list)  # the last list's rows
    opened: dict | None = None  # the ticket of the last get, while nothing else was sent in between
    change_next: bool = False  # 'status' was drawn before a ticket was open: a get first, then the change
    number: int = 0

    def next_call(self) -> tuple[str, str, str, dict | None]:
        """(name, method, path, JSON body)"""
        self.number += 1
        names, weights = [m[0] for m in TICKETS_MIX], [m[1] for m in TICKETS_MIX]
        name = 'status' if self.change_next else self.rng.choices(names, weights)[0]
        opened, self.opened, self.change_next = self.opened, None, False
        if name == 'status' and opened is not None and opened['status']['kind'] != 'closed':  # no reopening
            targets = [s['id'] for s in opened['next_statuses'] if s['kind'] != 'closed']
            if targets:
                return name, 'POST', f'/tickets/{opened["id"]}/status', {'status_id': self.rng.choice(targets)}
        elif name == 'status' and opened is None:
            self.change_next = bool(self.rows)  # the get below opens one (and if that one is closed: no change)
        if name == 'reply':
            private = {queue_id for queue_id, is_private, _statuses in self.plan.queues if is_private}
            choices = [row for row in self.rows if row['queue_id'] in private and row['status_kind'] != 'closed']
            if choices:
                text = f'Thanks for waiting: we have ordered the part, it arrives on Thursday ({self.number}).'
                return name, 'POST', f'/tickets/{self.rng.choice(choices)["id"]}/replies', {'text': text}
        if name == 'next' and self.cursor is not None and self.page < PAGES:
            self.page += 1
            return name, 'GET', '/tickets?' + urlencode({**self.query, 'cursor': self.cursor}, doseq=True), None
        if name in ('messages', 'reply', 'status', 'get') and self.rows:
            working = [row for row in self.rows if row['status_kind'] != 'closed'] if name == 'status' else []
            ticket_id = self.rng.choice(working or self.rows)['id']
            if name == 'messages':
                return name, 'GET', f'/tickets/{ticket_id}/messages', None
            return 'get', 'GET', f'/tickets/{ticket_id}', None
        if name not in LISTS:
            name = 'queue' if not self.rows else self.rng.choice(LISTS)
        self.query, self.page = self._filters(name), 1
        return name, 'GET', '/tickets?' + urlencode(self.query, doseq=True), None

    def seen(self, name: str, status: int, data: bytes) -> None:
        """Remember the rows of a list, the cursor to follow, the ticket just opened."""
        if status != 200:
            return
        if name in LISTS or name == 'next':
            page = json.loads(data)
            self.cursor = page['next_cursor']
            if page['items']:
                self.rows = page['items']
        elif name == 'get':
            self.opened = json.loads(data)

    def _filters(self, name: str) -> dict[str, str | list[str]]:
        rng = self.rng
        if name == 'mine':
            return {'kind': 'open', 'assignee': 'me', 'sort': 'updated', 'order': 'desc'}
        if name == 'queue':
            queue_id, _private, statuses = rng.choice(self.plan.queues)
            return {'queue_id': str(queue_id), 'status_id': str(rng.choice(statuses))}
        if name == 'telegram':
            return {'channel': 'telegram', **({'kind': 'open'} if rng.random() < 0.5 else {})}
        if name == 'search':
            return {'search': rng.choice(self.plan.search_words)}
        start = rng.uniform(self.plan.created_first, max(self.plan.created_first, self.plan.created_last - WEEK))
        return {'created_from': _iso(start), 'created_to': _iso(start + WEEK), 'sort': 'created', 'order': 'desc'}


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).replace(microsecond=0).isoformat().replace('+00:00', 'Z')
