"""bench/live_load.py's scenarios 1 and 3, on the requests pages: a hot request's many conversations, and status
changes reaching every tab on the public board. Each is `scenario(seed_only, ...)`: with seed_only the seed's
arguments, else a plan(seed) giving the tab specs and a drive(generator) that sends and returns the expectations."""

from __future__ import annotations

import time
from collections.abc import Callable

from live_generator import Generator
from live_scenario_parts import author_only, board_tabs, token
from live_server import Seed
from live_stats import Expect
from live_worker import TabSpec


def scenario_1(seed_only: bool, users: int = 10, tabs_each: int = 10, messages: int = 20, gap: float = 0.5):
    """A hot request: 10 responders, 10 tabs each, all on /requests/<id>; each responder talks to the author in
    their own conversation, so every message wakes all 100 tabs' handlers but must show only in its sender's 10."""
    names = [f'resp{n:03d}' for n in range(users)]
    seed_args = dict(customers=[], agents=[], author='author0', responders=names, support_openers=[])
    if seed_only:
        return seed_args

    def plan(seed: Seed) -> tuple[list[TabSpec], Callable[[Generator], list[Expect]]]:
        path = f'/requests/{seed.request_id}'
        specs = [TabSpec(u * tabs_each + k, names[u], path, acts=k == 0)
                 for u in range(users) for k in range(tabs_each)]
        every = {spec.tab_id for spec in specs}

        def drive(generator: Generator) -> list[Expect]:
            texts = []
            for number in range(messages):
                user = number % users
                texts.append((token(number), user))
                generator.command(user * tabs_each, 'send', user * tabs_each, texts[-1][0])
                time.sleep(gap)
            own = {u: {u * tabs_each + k for k in range(tabs_each)} for u in range(users)}
            return [Expect(text, 0.0, own[user], every - own[user]) for text, user in texts]
        return specs, drive
    return plan


def scenario_3(seed_only: bool, visitors: int = 1000, changes: int = 10, gap: float = 1.0):
    """Broadcast: visitors on the public board; the author changes the newest request's status on its page."""
    if seed_only:
        return author_only()

    def plan(seed: Seed) -> tuple[list[TabSpec], Callable[[Generator], list[Expect]]]:
        author_tab = visitors
        specs = board_tabs(visitors, seed.request_author, f'/requests/{seed.request_id}')

        def drive(generator: Generator) -> list[Expect]:
            names = []
            for number in range(changes):
                names.append(('In progress', 'Open')[number % 2])
                generator.command(author_tab, 'choose', author_tab, 'Change status', names[-1], f'status-{number}')
                time.sleep(gap)
            # The same status comes back two changes later: an arrival counts for the change it follows.
            return [Expect(f'badge:{name}', float(number), set(range(visitors)), end=float(number + 2))
                    for number, name in enumerate(names)]
        return specs, drive
    return plan
