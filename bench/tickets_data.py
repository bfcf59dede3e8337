"""The synthetic desk of bench/api_load.py --mix tickets: inbox_data's tickets spread over every kind of queue.

inbox_data.build_desk makes the Support desk (customers, agents, tickets with one staff conversation each,
messages, read markers; at most one open ticket per customer). spread() then moves shares of those tickets to
the public Board, the Orders queue (line items in their fields) and one more private queue (PRIVATE), each with
a status of the same kind in its own workflow. Support keeps its one-open-ticket rule; in the other queues,
recent tickets are open more often, as work in flight is. A Board ticket's conversation is with a responding
agent, not with staff as a team (Board requests have no staff thread). Deterministic, like inbox_data.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass

from inbox_data import R_ASSIGNEE, R_CHANNEL, R_CLOSED, R_STATUS, REQUEST_COLUMNS, DeskData

SEED = 20_261_207
PRIVATE = 'Facilities'  # the private queue the benchmark adds beside Support and Orders
SHARES = (('Support', 50), ('Board', 20), ('Orders', 15), (PRIVATE, 15))  # % of the tickets
RECENT = 0.1  # outside Support, the newest tenth of the tickets ...
RECENT_OPEN = 0.5  # ... is this often still open (open or active), half of that assigned
ITEMS = (('Toner cartridge', 4_990), ('USB-C dock', 18_900), ('Office chair', 32_000), ('Headset', 7_450),
         ('A4 paper, 5 reams', 2_350), ('Monitor arm', 9_900))
R_QUEUE, R_FIELDS, R_OPEN_KEY, R_UPDATED = 1, 9, 11, 14
Status = tuple[int, str, str]  # (id, name, kind)


@dataclass(frozen=True)
class QueueInfo:
    id: int
    name: str
    private: bool
    statuses: tuple[Status, ...]  # in workflow order


def spread(data: DeskData, queues: dict[str, QueueInfo]) -> Counter[str]:
    """Move tickets of `data` (built for Support) to the queues of SHARES in place; the tickets per queue."""
    rng = random.Random(SEED)
    names, weights = zip(*SHARES, strict=True)
    support = queues['Support']
    kind_of = {status_id: kind for status_id, _name, kind in support.statuses}
    recent_from = int(len(data.requests) * (1 - RECENT))
    moved_to: dict[int, int] = {}  # ticket id -> queue id, for tickets that left Support
    per_queue: Counter[str] = Counter()
    for index, row in enumerate(data.requests):
        queue = queues[rng.choices(names, weights)[0]]
        per_queue[queue.name] += 1
        if queue is support:
            continue
        values = list(row)
        kind = kind_of[row[R_STATUS]]
        if index >= recent_from and rng.random() < RECENT_OPEN:
            kind = rng.choice(('open', 'active'))
        status = rng.choice([s for s in queue.statuses if s[2] == kind])
        values[R_QUEUE], values[R_STATUS], values[R_OPEN_KEY] = queue.id, status[0], None
        values[R_CLOSED] = row[R_UPDATED] if kind == 'closed' else None
        if kind == 'open':
            values[R_ASSIGNEE] = None if rng.random() < 0.6 else values[R_ASSIGNEE] or rng.choice(data.agent_ids)
        elif kind == 'active' and values[R_ASSIGNEE] is None:
            values[R_ASSIGNEE] = rng.choice(data.agent_ids)
        if queue.name == 'Orders':
            values[R_CHANNEL] = rng.choice(('web', 'web', 'api'))
            values[R_FIELDS] = _order_fields(rng)
        elif queue.name == 'Board':
            values[R_CHANNEL] = 'web'
        data.requests[index] = tuple(values)
        moved_to[row[0]] = queue.id
    board = queues['Board'].id
    for index, conversation in enumerate(data.conversations):  # a Board request's thread is with a responder
        if moved_to.get(conversation[1]) == board:
            responder = data.requests[conversation[1] - 1][R_ASSIGNEE] or data.agent_ids[index % len(data.agent_ids)]
            data.conversations[index] = (conversation[0], conversation[1], responder, *conversation[3:])
    return per_queue


def _order_fields(rng: random.Random) -> str:
    items = [{'name': name, 'quantity': rng.randint(1, 5), 'unit_price': price}
             for name, price in rng.sample(ITEMS, rng.randint(1, 3))]
    return json.dumps({'items': items, 'total': sum(i['quantity'] * i['unit_price'] for i in items)})


def with_status_since(data: DeskData) -> tuple[tuple[str, ...], list[tuple]]:
    """The requests' columns and rows with status_since (as migration 0006 sets it: the last update)."""
    return (*REQUEST_COLUMNS, 'status_since'), [(*row, row[R_UPDATED]) for row in data.requests]
