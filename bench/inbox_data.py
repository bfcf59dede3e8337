"""The synthetic support desk: customers, agents, tickets in the Support queue, one staff conversation each.

Deterministic (seeded). Tickets respect the queue's rule: a customer has at most one ticket that is not closed
(their latest one, open_key = their id); the rest are closed (open_key NULL, closed_at set). Counters are kept
consistent (message_count, last_message_id, the customer's unread count). Ids follow time order, as in the app.
expected_total() counts like the inbox query does, so the benchmark can check the app's figures.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from board_data import FILLER, PLACES, PROBLEMS, SUBJECTS

SEED = 20_261_124
LATIN_FIRST = ('Anna', 'Boris', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hugo', 'Irina', 'Jonas', 'Kira',
               'Lars', 'Maria', 'Nikolai', 'Olga', 'Pavel', 'Quinn', 'Rosa', 'Sergei', 'Tanya', 'Umar', 'Vera',
               'Wen', 'Xenia', 'Yusuf', 'Zoe')
LATIN_LAST = ('Smith', 'Ivanova', 'Mueller', 'Rossi', 'Kowalski', 'Petrov', 'Novak', 'Larsen', 'Garcia', 'Chen',
              'Dubois', 'Silva', 'Kuznetsov', 'Nagy', 'Horvat', 'Berg', 'Sokolov', 'Popova', 'Volkov', 'Lebedeva')
CHANNELS = (('web', 80), ('telegram', 15), ('api', 5))
SEARCH_MATCHES = 300  # aim for searches that find a few hundred tickets
THREAD_MESSAGES = 20  # the ticket the ticket page is timed on has this many messages
DAY = 86_400.0

USER_COLUMNS = ('id', 'username', 'username_key', 'display_name', 'password_hash', 'role', 'is_active',
                'session_version', 'locale', 'theme', 'created_at')
REQUEST_COLUMNS = ('id', 'queue_id', 'title', 'title_folded', 'description', 'status_id', 'author_id',
                   'assignee_id', 'channel', 'fields', 'response_count', 'open_key', 'staff_unread', 'created_at',
                   'updated_at', 'closed_at')
CONVERSATION_COLUMNS = ('id', 'request_id', 'counterpart_id', 'message_count', 'last_message_id', 'staff_read_upto',
                        'created_at', 'last_message_at')
MESSAGE_COLUMNS = ('id', 'conversation_id', 'request_id', 'author_id', 'kind', 'body', 'created_at')
READ_MARKER_COLUMNS = ('conversation_id', 'user_id', 'last_read_message_id', 'unread')
# Indexes into a request row, for expected_total().
R_TITLE, R_STATUS, R_AUTHOR, R_ASSIGNEE, R_CHANNEL, R_CLOSED = 3, 5, 6, 7, 8, 15


@dataclass
class DeskData:
    users: list[tuple] = field(default_factory=list)
    requests: list[tuple] = field(default_factory=list)
    conversations: list[tuple] = field(default_factory=list)
    messages: list[tuple] = field(default_factory=list)
    read_markers: list[tuple] = field(default_factory=list)
    agent_ids: list[int] = field(default_factory=list)
    usernames: dict[int, str] = field(default_factory=dict)  # user id -> username_key
    search_word: str = ''
    name_fragment: str = ''
    thread_ticket_id: int = 0  # a ticket with THREAD_MESSAGES messages

    def tables(self) -> list[tuple[str, tuple[str, ...], list[tuple]]]:
        return [('users', USER_COLUMNS, self.users), ('requests', REQUEST_COLUMNS, self.requests),
                ('conversations', CONVERSATION_COLUMNS, self.conversations),
                ('messages', MESSAGE_COLUMNS, self.messages), ('read_markers', READ_MARKER_COLUMNS, self.read_markers)]

    def expected_total(self, *, status_id: int | None = None, open_only: bool = False, assignee_id: int | None = None,
                       unassigned: bool = False, channel: str | None = None, search: str = '') -> int:
        """How many tickets the inbox filter matches (uncapped), computed in Python."""
        fragment = search.casefold()
        authors = {uid for uid, key in self.usernames.items() if fragment in key} if fragment else set()
        count = 0
        for row in self.requests:
            if status_id is not None and row[R_STATUS] != status_id:
                continue
            if status_id is None and open_only and row[R_CLOSED] is not None:
                continue
            if (unassigned and row[R_ASSIGNEE] is not None) or (assignee_id and row[R_ASSIGNEE] != assignee_id):
                continue
            if channel and row[R_CHANNEL] != channel:
                continue
            if fragment and fragment not in row[R_TITLE] and row[R_AUTHOR] not in authors:
                continue
            count += 1
        return count


def build_desk(*, customers: int, agents: int, tickets: int, messages: int, queue_id: int,
               statuses: list[tuple[int, str, str]]) -> DeskData:
    """`statuses` are (id, name, kind) of the Ticket workflow: kinds 'open', 'active', 'closed'."""
    rng = random.Random(SEED)
    now = datetime.now(UTC).replace(microsecond=0).timestamp()
    data = DeskData()
    by_kind = {kind: status_id for status_id, _name, kind in statuses}
    open_id, active_id, closed_id = by_kind['open'], by_kind['active'], by_kind['closed']

    # Users: agents first, then customers; usernames are name-like so a name fragment finds a few customers.
    joined = datetime.fromtimestamp(now - 400 * DAY, UTC)
    for user_id in range(1, agents + customers + 1):
        first, last = rng.choice(LATIN_FIRST), rng.choice(LATIN_LAST)
        role = 'agent' if user_id <= agents else 'customer'
        username = f'{first}.{last}{user_id}'
        data.usernames[user_id] = username.casefold()
        data.users.append((user_id, username, username.casefold(), f'{first} {last}', None, role, True, 1, None,
                           None, joined))
    data.agent_ids = list(range(1, agents + 1))
    customer_ids = range(agents + 1, agents + customers + 1)

    # Tickets: created over the last year, ids in creation order; a customer's latest may still be open.
    created = sorted(now - rng.uniform(60, 365 * DAY) for _ in range(tickets))
    authors = [rng.choice(customer_ids) for _ in range(tickets)]
    latest = {author: index for index, author in enumerate(authors)}
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(SUBJECTS))]
    channels, channel_weights = zip(*CHANNELS, strict=True)
    thread_index = tickets - 1 - min(tickets - 1, 500)  # a recent ticket, for the ticket page's timing
    sizes = _thread_sizes(rng, tickets, messages, thread_index)
    bodies = [' '.join(rng.choice(FILLER) for _ in range(rng.randint(3, 25))).capitalize() + '.' for _ in range(997)]

    drafts = []  # (title, status, assignee, channel)
    pending: list[tuple[float, int, int, int, int, int]] = []  # (at, ticket index, seq, author, is_note, body)
    for index in range(tickets):
        subject = rng.choices(SUBJECTS, weights)[0]
        title = f'{subject} {rng.choice(PROBLEMS)} {rng.choice(PLACES)}'.strip()
        title = title[0].upper() + title[1:]
        author = authors[index]
        status = closed_id if latest[author] != index or rng.random() < 0.4 else rng.choice((open_id, active_id))
        unassigned = {open_id: 0.6, active_id: 0.0}.get(status, 0.3)
        assignee = None if rng.random() < unassigned else rng.choice(data.agent_ids)
        drafts.append((title, status, assignee, rng.choices(channels, channel_weights)[0]))
        at, writer = created[index], author  # the customer writes first
        for seq in range(sizes[index]):
            staff = writer != author
            note = staff and rng.random() < 0.06
            pending.append((min(at, now), index, seq, writer, note, rng.randrange(len(bodies))))
            at += rng.expovariate(1 / (3 * 3600))
            if rng.random() < 0.75:
                writer = author if writer != author else assignee or rng.choice(data.agent_ids)
    pending.sort()

    count = [0] * tickets
    last_id, last_at, customer_last, staff_last, staff_after = ([0] * tickets for _ in range(5))
    for message_id, (at, index, _seq, writer, note, body) in enumerate(pending, start=1):
        when = datetime.fromtimestamp(at, UTC)
        data.messages.append((message_id, index + 1, index + 1, writer, 'note' if note else 'text', bodies[body],
                              when))
        count[index] += 1
        last_id[index], last_at[index] = message_id, at
        if writer == authors[index]:
            customer_last[index], staff_after[index] = message_id, 0
        else:
            staff_last[index] = message_id
            staff_after[index] += 0 if note else 1
    del pending

    for index, (title, status, assignee, channel) in enumerate(drafts):
        ticket_id, author, started = index + 1, authors[index], created[index]
        closed = status == closed_id
        updated = min(now, max(started, last_at[index]) + (rng.expovariate(1 / DAY) if closed else 0.0))
        unread = rng.random() < 0.10
        data.requests.append((
            ticket_id, queue_id, title, title.casefold(), '', status, author, assignee, channel, '{}', 1,
            None if closed else author, unread, datetime.fromtimestamp(started, UTC),
            datetime.fromtimestamp(updated, UTC), datetime.fromtimestamp(updated, UTC) if closed else None))
        read_upto = staff_last[index] if unread else last_id[index]
        data.conversations.append((ticket_id, ticket_id, None, count[index], last_id[index] or None, read_upto,
                                   datetime.fromtimestamp(started, UTC),
                                   datetime.fromtimestamp(max(started, last_at[index]), UTC)))
        if rng.random() < 0.7 or not count[index]:  # the customer has read everything
            data.read_markers.append((ticket_id, author, last_id[index], 0))
        else:
            data.read_markers.append((ticket_id, author, customer_last[index], staff_after[index]))
    data.thread_ticket_id = thread_index + 1
    data.search_word = _search_word(data)
    data.name_fragment = _name_fragment(data)
    return data


def _thread_sizes(rng: random.Random, tickets: int, messages: int, thread_index: int) -> list[int]:
    """Messages per ticket: at least one (the customer's first), skewed, summing to `messages` (when >= tickets);
    the one at `thread_index` has THREAD_MESSAGES when there are enough."""
    mean_extra = max(0.0, messages / tickets - 1)
    sizes = [1 + int(rng.expovariate(1 / mean_extra)) if mean_extra else 1 for _ in range(tickets)]
    if messages >= tickets + THREAD_MESSAGES:
        sizes[thread_index] = THREAD_MESSAGES
    total = sum(sizes)
    while total < messages:
        index = rng.randrange(tickets)
        sizes[index] += index != thread_index
        total += index != thread_index
    while total > messages and total > tickets:
        index = rng.randrange(tickets)
        if sizes[index] > 1 and index != thread_index:
            sizes[index] -= 1
            total -= 1
    return sizes


def _search_word(data: DeskData) -> str:
    """The one-word subject whose substring matches in titles come nearest to SEARCH_MATCHES."""
    titles = [row[R_TITLE] for row in data.requests]
    best: tuple[int, str] | None = None
    for subject in SUBJECTS:
        if ' ' in subject or not subject.isascii():
            continue
        hits = sum(1 for title in titles if subject.casefold() in title)
        if best is None or abs(hits - SEARCH_MATCHES) < best[0]:
            best = (abs(hits - SEARCH_MATCHES), subject)
    assert best is not None
    return best[1]


def _name_fragment(data: DeskData) -> str:
    """A 'first.last' fragment of usernames whose customers' tickets come nearest to SEARCH_MATCHES."""
    per_author = Counter(row[R_AUTHOR] for row in data.requests)
    per_name: Counter[str] = Counter()
    for user_id, key in data.usernames.items():
        if user_id not in data.agent_ids:
            per_name[key.rstrip('0123456789')] += per_author[user_id]
    return min(per_name, key=lambda name: (abs(per_name[name] - SEARCH_MATCHES), name))
