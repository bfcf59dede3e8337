"""What the live scenarios share: a unique text per message, the support floor's people, and the send schedule."""

from __future__ import annotations

import time
import uuid
from typing import Any

from live_generator import Generator
from live_worker import TabSpec


def token(number: int) -> str:
    return f'LT-{number}-{uuid.uuid4().hex[:8]}'


def author_only() -> dict[str, Any]:
    """The seed's arguments when only the author of the board's requests is needed."""
    return dict(customers=[], agents=[], author='author0', responders=[], support_openers=[])


def board_tabs(visitors: int, author: str, author_path: str) -> list[TabSpec]:
    """Signed-out visitors on the board (tabs 0 to visitors - 1), then the author's acting tab (tab `visitors`)."""
    specs = [TabSpec(n, None, '/requests') for n in range(visitors)]
    return [*specs, TabSpec(visitors, author, author_path, acts=True)]


def support_floor(customers: int, agents: int) -> tuple[list[str], list[str], dict[str, Any]]:
    """Customers with an open support ticket each, and agents: their usernames and the seed's arguments."""
    names = [f'cus{n:04d}' for n in range(customers)]
    staff = [f'agent{n:03d}' for n in range(agents)]
    return names, staff, dict(customers=names, agents=staff, author='author0', responders=[], support_openers=names)


def support_tabs(names: list[str], staff: list[str]) -> list[TabSpec]:
    """Each customer's acting /support chat (tab i for names[i]), then each agent on /inbox."""
    specs = [TabSpec(n, name, '/support', acts=True) for n, name in enumerate(names)]
    return specs + [TabSpec(len(names) + n, agent, '/inbox') for n, agent in enumerate(staff)]


def send_on_schedule(generator: Generator, plans: dict[int, list[tuple[float, int, str]]], duration: float) -> None:
    """Hand each generator process its tabs' sends (seconds from now, tab, text), then wait while they run: sent
    from the workers on their own clocks, the rate holds however busy this process is."""
    for worker, items in plans.items():
        generator.pipes[worker].send(('schedule', items))
    time.sleep(duration)
