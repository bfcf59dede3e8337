"""bench/live_load.py's scenario 8 (issue 23): the chat widget's anonymous visitors, answered from the desk.

Visitors each wrote once through the widget when seeded (live_server.seed) and come back: their tabs open
/widget/<key>?vt=<their token> as the loader opens the frame, each from its own address, with no session cookie.
Their idle memory is measured before the agents' tabs open (TabSpec.later). Then the visitors from the 21st on send
`rate` messages/s in all through the widget's "Message" and "Send"; each must show once in its sender's frame and,
as its ticket's row preview, in every agent's desk, never in another visitor's frame. Each agent sits on the
three-pane desk at /inbox/<ticket> of one of the first `agents` visitors and answers there ("Reply") every
`answer_gap` s; each answer must show once in that visitor's frame and in no other visitor's. The agents answer
one after another, `answer_gap / agents` s apart, as people at their own desks do; `--size lockstep=1` has all
of them click "Reply" in the same instant every `answer_gap` s instead (what this scenario did until 2026-12-07).
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Callable

from live_generator import Generator
from live_scenarios_desk import RECENT_SECONDS, token
from live_server import Seed
from live_stats import Expect
from live_worker import TabSpec


def scenario_8(seed_only: bool, visitors: int = 1000, agents: int = 20, rate: float = 50.0, duration: float = 60.0,
               answer_gap: float = 2.0, lockstep: int = 0):
    staff = [f'agent{n:03d}' for n in range(agents)]
    seed_args = dict(customers=[], agents=staff, author='author0', responders=[], support_openers=[],
                     widget_visitors=visitors)
    if seed_only:
        return seed_args

    def plan(seed: Seed) -> tuple[list[TabSpec], Callable[[Generator], list[Expect]]]:
        specs = [TabSpec(n, None, f'/widget/{seed.widget_key}?vt={seed.visitors[n][0]}', acts=True)
                 for n in range(visitors)]
        specs += [TabSpec(visitors + n, staff[n], f'/inbox/{seed.visitors[n][1]}', acts=True, later=True)
                  for n in range(agents)]
        frames, desks = set(range(visitors)), set(range(visitors, visitors + agents))

        def drive(generator: Generator) -> list[Expect]:
            rng = random.Random(8)
            recent: deque[int] = deque(maxlen=max(1, min(int(rate * RECENT_SECONDS), (visitors - agents) // 2)))
            plans: dict[int, list[tuple[float, int, str]]] = {}
            expects = []
            for number in range(int(rate * duration)):
                sender = rng.randrange(agents, visitors)  # the first `agents` visitors are being answered
                while sender in recent:
                    sender = rng.randrange(agents, visitors)
                recent.append(sender)
                text = token(number)
                plans.setdefault(generator.owner[sender], []).append((number / rate, sender, text))
                expects.append(Expect(text, 0.0, {sender}, frames - {sender}, part="sender's frame"))
                expects.append(Expect(text, 0.0, desks, part="agents' desks"))
            for worker, items in plans.items():
                generator.pipes[worker].send(('schedule', items))
            start, answered = time.monotonic(), 0
            while time.monotonic() - start < duration:
                for n in range(agents):
                    text = f'LT-answer-{answered}-{n}'
                    generator.command(visitors + n, 'reply', visitors + n, text)
                    expects.append(Expect(text, 0.0, {n}, frames - {n}, part='answers in frames'))
                    if not lockstep:
                        time.sleep(answer_gap / agents)
                answered += 1
                if lockstep:
                    time.sleep(answer_gap)
            return expects
        return specs, drive
    return plan
