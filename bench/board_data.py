"""The synthetic board: users, requests, conversations, messages and read markers, built once in Python.

Deterministic (seeded), with consistent counters (response counts, message counts, unread counts), and the
figures the benchmark checks the app against: the search word and its matches, the 'mine' user and the
per-status counts. seed_board.py loads it into SQLite or PostgreSQL.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

SEED = 20_261_123

FIRST_NAMES = ('Anna', 'Boris', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hugo', 'Irina', 'Jonas', 'Kira',
               'Lars', 'Maria', 'Nikolai', 'Olga', 'Pavel', 'Quinn', 'Rosa', 'Sergei', 'Tanya', 'Umar', 'Vera',
               'Wen', 'Xenia', 'Yusuf', 'Zoe', 'Алексей', 'Ирина', 'Мария', 'Олег')
LAST_NAMES = ('Smith', 'Ivanova', 'Müller', 'Rossi', 'Kowalski', 'Petrov', 'Novak', 'Larsen', 'Garcia', 'Chen',
              'Dubois', 'Silva', 'Kuznetsov', 'Nagy', 'Horvat', 'Berg', 'Соколов', 'Попова', 'Волков', 'Лебедева')
# Things a request is about: weighted by rank (Zipf-like), so some words are common and some rare; the search
# scenario picks the word whose substring matches come nearest to SEARCH_MATCHES.
SUBJECTS = (
    'printer', 'laptop', 'monitor', 'password', 'badge', 'projector', 'keyboard', 'mouse', 'headset', 'webcam',
    'router', 'scanner', 'phone', 'tablet', 'charger', 'docking station', 'VPN access', 'mailbox', 'calendar',
    'license', 'parking permit', 'desk', 'chair', 'locker', 'coffee machine', 'fridge', 'heater', 'air conditioner',
    'window', 'door lock', 'elevator', 'light', 'socket', 'cable', 'shelf', 'whiteboard', 'meeting room',
    'invoice', 'purchase order', 'expense report', 'payslip', 'contract', 'visitor pass', 'guest Wi-Fi',
    'shared drive', 'backup', 'database', 'server', 'build pipeline', 'test server', 'domain name', 'certificate',
    'firewall rule', 'user account', 'mailing list', 'chat channel', 'wiki page', 'spreadsheet', 'report',
    'dashboard', 'timesheet', 'holiday request', 'training', 'onboarding', 'offboarding', 'microwave', 'kettle',
    'dishwasher', 'water cooler', 'plant', 'blinds', 'carpet', 'ceiling tile', 'fire alarm', 'smoke detector',
    'first aid kit', 'stapler', 'toner', 'paper', 'envelopes', 'courier', 'package', 'delivery', 'bike rack',
    'shower', 'gym card', 'canteen menu', 'vending machine', 'umbrella stand', 'noticeboard', 'thermostat',
    'ventilation', 'staircase', 'loading dock', 'generator', 'UPS battery', 'label printer', 'barcode reader',
    'tachograph', 'hologram sticker', 'xylophone', 'принтер', 'ноутбук', 'пропуск', 'монитор', 'кондиционер',
    'пароль', 'счёт', 'договор', 'переговорная', 'доставка',
)
PROBLEMS = ('does not work', 'is broken', 'needs replacing', 'is missing', 'is very slow', 'keeps failing',
            'makes a noise', 'is out of order', 'needs an update', 'cannot be found', 'was damaged',
            'needs to be ordered', 'stopped responding', 'shows an error', 'needs a second one', 'is flickering',
            'needs approval', 'expired', 'is blocked', 'is too loud', 'не работает', 'сломался', 'нужен новый')
PLACES = tuple([f'in room {n}' for n in (4, 12, 17, 101, 204, 310, 412, 515)]
               + [f'on the {n} floor' for n in ('1st', '2nd', '3rd', '4th', '5th')]
               + ['in the lobby', 'at reception', 'in the kitchen', 'in the warehouse', 'in the east wing',
                  'in the west wing', 'at the Berlin office', 'at the Lisbon office', 'for the new hire',
                  'for the sales team', 'for the support team', 'before Friday', 'since Monday', 'urgently',
                  'again', 'в офисе', 'на складе', 'с понедельника', ''])
FILLER = ('please', 'help', 'thanks', 'since', 'yesterday', 'the', 'a', 'it', 'again', 'after', 'update',
          'restart', 'tried', 'nothing', 'changed', 'someone', 'said', 'ticket', 'team', 'office', 'morning',
          'evening', 'still', 'broken', 'works', 'now', 'when', 'can', 'you', 'check', 'soon', 'spare', 'order')
SEARCH_MATCHES = 300  # aim for a title search that finds a few hundred requests


@dataclass
class Dataset:
    users: list[tuple] = field(default_factory=list)
    requests: list[tuple] = field(default_factory=list)
    conversations: list[tuple] = field(default_factory=list)
    messages: list[tuple] = field(default_factory=list)
    read_markers: list[tuple] = field(default_factory=list)
    search_word: str = ''
    search_matches: int = 0
    mine_user_id: int = 0
    mine_count: int = 0
    status_counts: dict[int, int] = field(default_factory=dict)


USER_COLUMNS = ('id', 'username', 'username_key', 'display_name', 'password_hash', 'role', 'is_active',
                'session_version', 'locale', 'theme', 'created_at')
REQUEST_COLUMNS = ('id', 'queue_id', 'title', 'title_folded', 'description', 'status_id', 'author_id',
                   'assignee_id', 'channel', 'fields', 'response_count', 'created_at', 'updated_at', 'closed_at')
CONVERSATION_COLUMNS = ('id', 'request_id', 'counterpart_id', 'message_count', 'last_message_id', 'created_at',
                        'last_message_at')
MESSAGE_COLUMNS = ('id', 'conversation_id', 'request_id', 'author_id', 'kind', 'body', 'created_at')
READ_MARKER_COLUMNS = ('conversation_id', 'user_id', 'last_read_message_id', 'unread')


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return ' '.join(rng.choice(FILLER) for _ in range(rng.randint(low, high))).capitalize() + '.'


def build_dataset(*, users: int, requests: int, messages: int, queue_id: int,
                  statuses: list[tuple[int, str, str]]) -> Dataset:
    """Users, requests, conversations, messages and read markers with consistent counters.

    `statuses` are (id, name, kind) of the board workflow. Ids are assigned in time order, as the app would.
    """
    rng = random.Random(SEED)
    now = datetime.now(UTC).replace(microsecond=0)
    data = Dataset()

    # Users: a few staff, the rest customers.
    for user_id in range(1, users + 1):
        username = f'user{user_id:05d}'
        role = 'admin' if user_id == 1 else 'agent' if user_id <= 20 else 'customer'
        display = f'{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}'
        data.users.append((user_id, username, username.casefold(), display, None, role, True, 1, None, None,
                           now - timedelta(days=400)))
    agents = list(range(2, min(users, 20) + 1)) or [1]

    # Requests: created over the last year, ids in creation order.
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(SUBJECTS))]
    kind_weight = {'open': 3, 'active': 2, 'closed': 5}
    status_weights = [kind_weight.get(kind, 1) for _id, _name, kind in statuses]
    created = sorted(now - timedelta(seconds=rng.uniform(60, 365 * 86400)) for _ in range(requests))
    authors = [rng.randint(1, users) for _ in range(requests)]
    request_rows: list[list[Any]] = []
    for index in range(requests):
        subject = rng.choices(SUBJECTS, weights)[0]
        title = f'{subject} {rng.choice(PROBLEMS)} {rng.choice(PLACES)}'.strip()
        title = title[0].upper() + title[1:]
        status_id, _name, kind = rng.choices(statuses, status_weights)[0]
        created_at = created[index]
        updated_at = min(now, created_at + timedelta(seconds=rng.expovariate(1 / (3 * 86400))))
        assignee = rng.choice(agents) if kind == 'active' else None
        channel = rng.choices(('web', 'telegram', 'api'), (8, 2, 1))[0]
        request_rows.append([index + 1, queue_id, title, title.casefold(), _sentence(rng, 4, 30), status_id,
                             authors[index], assignee, channel, '{}', 0, created_at, updated_at,
                             kind == 'closed'])

    # Conversations: one per (request, counterpart), the counterpart never the author; ~3 messages each.
    conversation_count = max(1, min(messages // 3, requests * 5)) if messages else 0
    pairs: set[tuple[int, int]] = set()
    drafts: list[tuple[datetime, int, int]] = []
    while len(drafts) < conversation_count:
        request_index = rng.randrange(requests)
        counterpart = rng.randint(1, users)
        if counterpart == authors[request_index] or (request_index, counterpart) in pairs:
            continue
        pairs.add((request_index, counterpart))
        started = request_rows[request_index][11] + timedelta(seconds=rng.expovariate(1 / 7200))
        drafts.append((min(started, now), request_index, counterpart))
    drafts.sort()
    sizes = [1] * len(drafts)
    for _ in range(max(0, messages - len(drafts))):
        sizes[rng.randrange(len(drafts))] += 1

    pending: list[tuple[datetime, int, int, int]] = []  # (created_at, conversation index, author, seq)
    for conv_index, (started, request_index, counterpart) in enumerate(drafts):
        author = authors[request_index]
        at, writer = started, counterpart  # the counterpart responds first
        for seq in range(sizes[conv_index]):
            pending.append((min(at, now), conv_index, writer, seq))
            at += timedelta(seconds=rng.expovariate(1 / 5400))
            if rng.random() < 0.75:
                writer = author if writer == counterpart else counterpart
    pending.sort()

    conv_messages: list[list[tuple[int, int, datetime]]] = [[] for _ in drafts]  # (message id, author, at)
    for message_id, (at, conv_index, writer, _seq) in enumerate(pending, start=1):
        request_index = drafts[conv_index][1]
        data.messages.append((message_id, conv_index + 1, request_index + 1, writer, 'text',
                              _sentence(rng, 3, 25), at))
        conv_messages[conv_index].append((message_id, writer, at))

    for conv_index, (started, request_index, counterpart) in enumerate(drafts):
        conversation_id = conv_index + 1
        own = conv_messages[conv_index]
        last_id, _writer, last_at = own[-1]
        data.conversations.append((conversation_id, request_index + 1, counterpart, len(own), last_id, started,
                                   last_at))
        for participant in (authors[request_index], counterpart):
            read_upto = max((mid for mid, writer, _at in own if writer == participant), default=0)
            unread = sum(1 for mid, _writer, _at in own if mid > read_upto)
            data.read_markers.append((conversation_id, participant, read_upto, unread))
        row = request_rows[request_index]
        row[10] += 1  # response_count: conversations with a responder
        row[12] = max(row[12], last_at)  # a message touches the request

    for row in request_rows:
        closed = row.pop()
        row.append(row[12] if closed else None)  # closed_at
        data.requests.append(tuple(row))

    # The search word: nearest to SEARCH_MATCHES substring matches among the subjects.
    folded = [row[3] for row in data.requests]
    best: tuple[int, str, int] | None = None
    for subject in SUBJECTS:
        if ' ' in subject:
            continue
        word = subject.casefold()
        hits = sum(1 for title in folded if word in title)
        if best is None or abs(hits - SEARCH_MATCHES) < best[0]:
            best = (abs(hits - SEARCH_MATCHES), subject, hits)
    assert best is not None
    _gap, data.search_word, data.search_matches = best

    # 'Mine': the author with the median number of requests.
    per_author = Counter(authors)
    ranked = sorted(per_author.items(), key=lambda item: (item[1], item[0]))
    data.mine_user_id, data.mine_count = ranked[len(ranked) // 2]
    data.status_counts = dict(Counter(row[5] for row in data.requests))
    return data
