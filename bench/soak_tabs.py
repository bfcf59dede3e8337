"""The tabs bench/soak.py holds and churns: which person each shows, the held pairs that write, the churned slots,
and which generator process holds each tab (a browser's tabs share one, as their cookies do)."""

from __future__ import annotations

import argparse
import zlib

from live_worker import TabSpec
from soak_worker import Opening

FRESH_EVERY = 10  # one churned opening in this many is a new browser
VISITOR_BROWSERS = 60
RESPONDERS, CUSTOMERS, CORE_CUSTOMERS, AGENTS = 20, 50, 30, 5
CHURN_MIX = ['board'] * 8 + ['request'] * 5 + ['support'] * 6 + ['inbox']  # a cycle of 20 churned openings


class Tabs:
    def __init__(self, request_path: str, args: argparse.Namespace) -> None:
        self.request_path, self.args = request_path, args
        self.next_id = 0
        self.owner: dict[int, int] = {}  # tab -> worker
        self.pairs: list[tuple[int, int]] = []  # (acting tab, watching tab) of each sender
        self.pair_sent: list[int] = []  # messages each pair has sent in its person's conversation
        self.pair_people: list[int] = []  # how many people each pair has been (the first one included)
        self.slots: list[int] = []  # the churned tabs, oldest first per slot
        self.counters = {'board': 0, 'request': 0, 'support': 0, 'inbox': 0, 'churn': 0}

    def _spec(self, kind: str, *, acts: bool = False, user: str | None = None) -> tuple[TabSpec, str]:
        number = self.counters[kind]
        self.counters[kind] += 1
        if kind == 'board':
            key = f'visitor-{number % VISITOR_BROWSERS}'
            spec = TabSpec(self.next_id, None, '/requests')
        else:
            user = user or {'request': lambda: f'resp{number % RESPONDERS:03d}',
                            'support': lambda: f'cus{number % CUSTOMERS:04d}',
                            'inbox': lambda: f'agent{number % AGENTS:03d}'}[kind]()
            path = {'request': self.request_path, 'support': '/support', 'inbox': '/inbox'}[kind]
            key, spec = user, TabSpec(self.next_id, user, path, acts=acts)
        self.next_id += 1
        self.owner[spec.tab_id] = zlib.crc32(key.encode()) % self.args.workers
        return spec, key

    def plan(self) -> list[list[Opening]]:
        """The first tabs, as each generator process opens its share."""
        core = self.args.tabs - self.args.churn_slots
        openings: list[tuple[TabSpec, str]] = []
        for kind, users in (('request', [f'resp{n:03d}' for n in range(RESPONDERS)]),
                            ('support', [f'cus{n:04d}' for n in range(CORE_CUSTOMERS)])):
            for user in users:
                acting, watching = self._spec(kind, acts=True, user=user), self._spec(kind, user=user)
                openings += [acting, watching]
                self.pairs.append((acting[0].tab_id, watching[0].tab_id))
                self.pair_sent.append(0)
                self.pair_people.append(1)
        for number in range(AGENTS * 2):
            openings.append(self._spec('inbox', user=f'agent{number % AGENTS:03d}'))
        while len(openings) < core:
            openings.append(self._spec('board'))
        for _ in range(self.args.churn_slots):
            openings.append(self._spec(CHURN_MIX[self.counters['churn'] % len(CHURN_MIX)]))
            self.counters['churn'] += 1
            self.slots.append(openings[-1][0].tab_id)
        shares: list[list[Opening]] = [[] for _ in range(self.args.workers)]
        for spec, key in openings:
            shares[self.owner[spec.tab_id]].append((spec, key, False))
        return shares

    def churn(self, pipes: list) -> None:
        slot = self.counters['churn'] % len(self.slots)
        fresh = self.counters['churn'] % FRESH_EVERY == 0
        spec, key = self._spec(CHURN_MIX[self.counters['churn'] % len(CHURN_MIX)])
        self.counters['churn'] += 1
        pipes[self.owner[spec.tab_id]].send(('open', spec, key, fresh))
        old, self.slots[slot] = self.slots[slot], spec.tab_id
        pipes[self.owner.pop(old)].send(('close', old))

    def sender(self, pipes: list, number: int) -> tuple[int, int] | None:
        """The (acting, watching) tabs of message `number`'s pair; None when its conversation is full and this turn
        opens the new person's tabs instead (they write from the next turn)."""
        pair = (number // 2) % RESPONDERS if number % 2 else RESPONDERS + (number // 2) % CORE_CUSTOMERS
        if self.args.thread_cap and self.pair_sent[pair] >= self.args.thread_cap:
            self.next_person(pipes, pair)
            return None
        self.pair_sent[pair] += 1
        return self.pairs[pair]

    def next_person(self, pipes: list, pair: int) -> None:
        """A held pair's conversation is full: its two tabs close and a new person's two tabs take its place, so no
        held tab shows an ever longer thread (the pages show a whole conversation: the server's memory would climb
        with the bench's messages, not with a leak). The last message sent there is a full turn old."""
        kind = 'request' if pair < RESPONDERS else 'support'
        user = held_person(kind, pair if kind == 'request' else pair - RESPONDERS, self.pair_people[pair])
        acting, watching = self._spec(kind, acts=True, user=user), self._spec(kind, user=user)
        for spec, key in (acting, watching):
            pipes[self.owner[spec.tab_id]].send(('open', spec, key, False))
        for old in self.pairs[pair]:
            pipes[self.owner.pop(old)].send(('close', old))
        self.pairs[pair] = (acting[0].tab_id, watching[0].tab_id)
        self.pair_sent[pair] = 0
        self.pair_people[pair] += 1


def held_person(kind: str, pair: int, before: int) -> str:
    """The person a held pair of tabs shows after `before` others: the first ones are those churned tabs also
    show (`resp000`-, `cus0000`-), the later ones are seeded beyond them."""
    if kind == 'request':
        return f'resp{before * RESPONDERS + pair:03d}'
    return f'cus{pair if before == 0 else CUSTOMERS + (before - 1) * CORE_CUSTOMERS + pair:04d}'


def people_per_pair(args: argparse.Namespace) -> int:
    """How many people each held pair is over the run, at most: the pairs share --rate half and half."""
    if not args.thread_cap:
        return 1
    per_pair = args.minutes * 60 * args.rate / 2 / min(RESPONDERS, CORE_CUSTOMERS)
    return int(per_pair // args.thread_cap) + 2
