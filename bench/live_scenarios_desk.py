"""bench/live_load.py's scenarios 6 and 7 (issue 24, "Keep it live at scale"): new requests on the board, and the
three-pane desk under scenario 2's load. Each is `scenario(seed_only, ...)` as in
live_scenarios_requests.py. (live_scenarios_widget.py takes RECENT_SECONDS and `token` from here.)"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Callable

from live_generator import Generator
from live_scenario_parts import author_only, board_tabs, send_on_schedule, support_floor, support_tabs, token
from live_server import Seed
from live_stats import Expect
from live_worker import TabSpec

RECENT_SECONDS = 5.0  # scenario 7: a sender writes again only after this, so no preview hides an earlier one


def scenario_6(seed_only: bool, visitors: int = 1000, requests: int = 10, gap: float = 1.0, board: int = 40):
    """New requests arrive: visitors on the board (/requests); the author creates requests through the board's
    "New request" dialog, `gap` s apart. Each new row must reach every visitor's board once.

    The board holds `board` requests before: by default more than its first page (25), as a board in use does, so
    each new request takes the place of the row that moves on to page 2. With `--size board=20` every new request
    adds a row to a page not yet full: an element more in every tab (see --size in live_load.py)."""
    if seed_only:
        return {**author_only(), 'board_requests': board}

    def plan(seed: Seed) -> tuple[list[TabSpec], Callable[[Generator], list[Expect]]]:
        author_tab = visitors
        specs = board_tabs(visitors, seed.request_author, '/requests')

        def drive(generator: Generator) -> list[Expect]:
            titles = []
            for number in range(requests):
                titles.append(token(number))
                generator.command(author_tab, 'create', author_tab, titles[-1])
                time.sleep(gap)
            return [Expect(title, 0.0, set(range(visitors))) for title in titles]
        return specs, drive
    return plan


def scenario_7(seed_only: bool, customers: int = 900, agents: int = 50, rate: float = 50.0, duration: float = 60.0):
    """The three-pane desk at scale: customers in their own /support chats send `rate` messages/s in all; agents sit
    on /inbox (list | conversation | context). Each message must show in its sender's chat and, as the preview of
    its ticket's row at the top of the list, in every agent's desk; never in another customer's chat."""
    names, staff, seed_args = support_floor(customers, agents)
    if seed_only:
        return seed_args

    def plan(seed: Seed) -> tuple[list[TabSpec], Callable[[Generator], list[Expect]]]:
        specs = support_tabs(names, staff)
        desks = set(range(customers, customers + agents))
        chats = set(range(customers))

        def drive(generator: Generator) -> list[Expect]:
            rng = random.Random(7)
            recent: deque[int] = deque(maxlen=max(1, min(int(rate * RECENT_SECONDS), customers // 2)))
            plans: dict[int, list[tuple[float, int, str]]] = {}
            expects = []
            for number in range(int(rate * duration)):
                # A ticket's row shows its last message only: a second message on it before the first was shown
                # would hide the first, which would then count as lost.
                sender = rng.randrange(customers)
                while sender in recent:
                    sender = rng.randrange(customers)
                recent.append(sender)
                text = token(number)
                plans.setdefault(generator.owner[sender], []).append((number / rate, sender, text))
                expects.append(Expect(text, 0.0, {sender}, chats - {sender}, part="sender's chat"))
                expects.append(Expect(text, 0.0, desks, part="agents' desks"))
            send_on_schedule(generator, plans, duration)
            return expects
        return specs, drive
    return plan
