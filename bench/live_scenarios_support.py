"""bench/live_load.py's scenarios 2, 4 and 5, on the support chats: the support floor under a message rate (in one
app process, or in two on one PostgreSQL), and what idle chats cost. Each is `scenario(seed_only, ...)` as in
bench/live_scenarios_requests.py."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

from live_generator import Generator
from live_scenario_parts import send_on_schedule, support_floor, support_tabs, token
from live_server import Seed
from live_stats import Expect
from live_worker import TabSpec


def scenario_2(seed_only: bool, customers: int = 900, agents: int = 50, visitors: int = 50,
               rate: float = 50.0, duration: float = 60.0):
    """Support floor: each customer in their own /support chat (an open ticket each), agents on /inbox, visitors
    on /requests; customers send `rate` messages/s in all. A message must show only in its sender's chat."""
    names, staff, seed_args = support_floor(customers, agents)
    if seed_only:
        return seed_args

    def plan(seed: Seed) -> tuple[list[TabSpec], Callable[[Generator], list[Expect]]]:
        specs = support_tabs(names, staff)
        specs += [TabSpec(customers + agents + n, None, '/requests') for n in range(visitors)]
        must_not = set(range(customers)) | set(range(customers + agents, customers + agents + visitors))

        def drive(generator: Generator) -> list[Expect]:
            rng = random.Random(7)
            plans: dict[int, list[tuple[float, int, str]]] = {}
            expects = []
            for number in range(int(rate * duration)):
                sender = rng.randrange(customers)
                text = token(number)
                plans.setdefault(generator.owner[sender], []).append((number / rate, sender, text))
                expects.append(Expect(text, 0.0, {sender}, must_not - {sender}))
            send_on_schedule(generator, plans, duration)
            return expects
        return specs, drive
    return plan


def scenario_4(seed_only: bool, **sizes: float):
    """Scenario 2 split across two app processes on one PostgreSQL: each browser sticks to one instance."""
    seed_args = scenario_2(True, **sizes)
    if seed_only:
        return seed_args

    def plan(seed: Seed) -> tuple[list[TabSpec], Callable[[Generator], list[Expect]]]:
        specs, drive = scenario_2(False, **sizes)(seed)
        return [replace(spec, server=spec.tab_id % 2) for spec in specs], drive
    return plan


def scenario_5(seed_only: bool, customers: int = 200, messages: int = 30):
    """Idle cost: customers each in their own support chat showing 30 messages; nothing is sent."""
    names = [f'idle{n:04d}' for n in range(customers)]
    seed_args = dict(customers=names, agents=['agent000'], author='author0', responders=[], support_openers=names,
                     support_messages=messages, board_requests=1)
    if seed_only:
        return seed_args

    def plan(seed: Seed) -> tuple[list[TabSpec], Callable[[Generator], list[Expect]]]:
        specs = [TabSpec(n, names[n], '/support') for n in range(customers)]
        return specs, lambda generator: []
    return plan
