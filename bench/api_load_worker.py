"""One load-generator process of bench/api_load.py: aiohttp clients looping over the REST API mix (the board's
below, or the ticket list's of api_load_tickets.py when the plan has one).

Each client has its own user's access token and sends one call at a time through the process's one
ClientSession (keep-alive, a connector limit matching its clients). Calls completed inside the measuring
window count; the warm-up before it and calls still open at its end do not.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import aiohttp
from api_load_tickets import TICKETS_MIX, TicketsClient, TicketsPlan

# (name, weight in %, what it sends); the list call is the board's first page, 1 in 4 of them "mine" only.
MIX = (('create', 20, 'POST /requests'), ('list', 40, 'GET /requests, 1 in 4 ?mine=true'),
       ('get', 30, 'GET /requests/{id}'), ('message', 10, 'POST /requests/{id}/conversations/{cid}/messages'))
MIXES = {'board': MIX, 'tickets': TICKETS_MIX}
API = '/api/v1'
ERROR_SAMPLES = 5


@dataclass(frozen=True)
class ClientSpec:
    token: str  # access token (15 minutes)
    conversations: tuple[tuple[int, int], ...]  # (request id, conversation id) its user takes part in


@dataclass(frozen=True)
class Plan:
    base_url: str
    clients: tuple[ClientSpec, ...]
    request_ids: tuple[int, ...]  # seeded public requests, for gets
    seed: int
    tickets: TicketsPlan | None = None  # set: the tickets mix (api_load_tickets.py) instead of the board's


@dataclass
class Result:
    latencies: dict[str, list[float]] = field(default_factory=dict)  # call -> seconds, every call in the window
    outcomes: dict[str, Counter[str]] = field(default_factory=dict)  # call -> HTTP status or error name -> count
    cpu: float = 0.0  # this process's CPU seconds during the window
    samples: list[str] = field(default_factory=list)  # the first few error answers, to see why


def cpu_seconds() -> float:
    return time.process_time()


def worker_main(conn: Connection, plan: Plan) -> None:
    """Wait for ('go', begin, start, end) in time.monotonic() seconds, drive, answer with the Result."""
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    conn.send('ready')
    _, begin, start, end = conn.recv()
    conn.send(asyncio.run(_drive(plan, begin, start, end)))


async def _drive(plan: Plan, begin: float, start: float, end: float) -> Result:
    result = Result(latencies=defaultdict(list), outcomes=defaultdict(Counter))
    connector = aiohttp.TCPConnector(limit=len(plan.clients), keepalive_timeout=60)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(plan.base_url, connector=connector, timeout=timeout) as session:
        await asyncio.sleep(max(0.0, begin - time.monotonic()))
        clients = [asyncio.create_task(_client(session, spec, plan, random.Random(plan.seed * 1000 + n), start, end,
                                               result)) for n, spec in enumerate(plan.clients)]
        await asyncio.sleep(max(0.0, start - time.monotonic()))
        cpu = cpu_seconds()
        await asyncio.sleep(max(0.0, end - time.monotonic()))
        result.cpu = cpu_seconds() - cpu
        await asyncio.gather(*clients)
    result.latencies, result.outcomes = dict(result.latencies), dict(result.outcomes)
    return result


async def _client(session: aiohttp.ClientSession, spec: ClientSpec, plan: Plan, rng: random.Random, start: float,
                  end: float, result: Result) -> None:
    headers = {'Authorization': f'Bearer {spec.token}'}
    names, weights = [name for name, _, _ in MIX], [weight for _, weight, _ in MIX]
    created: list[int] = []
    number = 0
    agent = TicketsClient(plan.tickets, rng) if plan.tickets is not None else None
    while time.monotonic() < end:
        if agent is not None:
            name, method, path, body = agent.next_call()
        else:
            name = rng.choices(names, weights)[0]
            if name == 'message' and not spec.conversations:
                name = 'get'
            method, path, body = _call(name, spec, plan, rng, created, number)
        number += 1
        sent = time.monotonic()
        data = b''
        try:
            async with session.request(method, API + path, json=body, headers=headers) as response:
                data = await response.read()
                outcome = str(response.status)
        except (aiohttp.ClientError, TimeoutError) as error:
            outcome = type(error).__name__
        done = time.monotonic()
        if agent is not None:
            agent.seen(name, int(outcome) if outcome.isdigit() else 0, data)
        elif name == 'create' and outcome == '201':
            created.append(json.loads(data)['id'])
        if start <= done < end:
            result.latencies[name].append(done - sent)
            result.outcomes[name][outcome] += 1
            if not outcome.startswith('2') and len(result.samples) < ERROR_SAMPLES:
                result.samples.append(f'{method} {path} -> {outcome} {data[:200].decode(errors="replace")}')


def _call(name: str, spec: ClientSpec, plan: Plan, rng: random.Random, created: list[int],
          number: int) -> tuple[str, str, dict[str, object] | None]:
    if name == 'create':
        return 'POST', '/requests', {
            'title': f'Printer on floor {rng.randint(1, 9)} jams again ({number})',
            'description': 'Paper jams on every second page since this morning; restarting it did not help. '
                           'Could someone from facilities have a look?'}
    if name == 'list':
        return 'GET', '/requests?mine=true' if rng.random() < 0.25 else '/requests', None
    if name == 'get':
        pool = created if created and rng.random() < 0.2 else plan.request_ids
        return 'GET', f'/requests/{rng.choice(pool)}', None
    request_id, conversation_id = rng.choice(spec.conversations)
    return 'POST', f'/requests/{request_id}/conversations/{conversation_id}/messages', {
        'text': f'Thanks, I checked again ({number}): it still happens with the tray half full.'}
