"""REST API throughput: a create / list / get / post-message mix from many clients against one app process.

    .venv/bin/python bench/api_load.py [--backend sqlite|postgresql|both] [--duration 60] [--clients 50]
                                       [--processes 2] [--warmup 5] [--postgres URL]
                                       [--profile DIR] [--mix board|tickets] [--reseed]

Per backend: seeds users, requests and conversations through the domain services into a fresh SQLite file or a
new PostgreSQL database (dropped afterwards), starts `python main.py` on a free 127.0.0.1 port with rate limits
out of the way and LOG_LEVEL=WARNING, gets one access token per client from POST /api/v1/auth/token, then drives
the mix from aiohttp clients in separate generator processes (bench/api_load_worker.py). Prints requests/s,
p50/p95/p99 latency, errors by status, and the CPU of the server, the generator, PostgreSQL and the machine, and
the server's and PostgreSQL's CPU per request (what a machine shared with other work changes least;
bench/api_load_report.py).

--mix tickets: agents working GET /api/v1/tickets (filters, sorts, next pages), one ticket, its messages, and a
few replies and status changes (bench/api_load_tickets.py) over 200,000 tickets in four queues with 1,000,000
messages, on PostgreSQL only. That database (bench/tickets_seed.py: COPY, about a minute or two) is kept on the
server as `bench_api_tickets` and reused by the next run; --reseed makes it again.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api_load_report import SERVER_ENV, report
from api_load_tickets import TicketsPlan
from api_load_worker import MIXES, ClientSpec, Plan, Result, worker_main
from live_profile import Profiler
from live_server import PASSWORD, PROJECT_ROOT, TICKS, Server, fresh_postgres

DEFAULT_POSTGRES = 'postgresql://postgres@127.0.0.1:5432/postgres'
USERS, REQUESTS, CONVERSATION_EVERY, MESSAGES = 300, 2000, 4, 4  # a conversation on every 4th request


@dataclass
class Seeded:
    usernames: list[str]
    request_ids: list[int]
    conversations: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # username -> (request, conv.)
    messages: int = 0
    seconds: float = 0.0


async def seed(database_url: str) -> Seeded:
    """USERS customers and REQUESTS public requests; on every CONVERSATION_EVERY-th one another user responds and
    the two exchange MESSAGES messages (those authors and responders go round all users, so each has some)."""
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    from domain.desk import Desk
    from storage.database import Database

    started = time.monotonic()
    rng = random.Random(11)
    desk = Desk.build(Database(database_url), secret_key='load-secret', bcrypt_rounds=4)
    desk.start()
    await desk.ready()
    try:
        names = [f'api{n:04d}' for n in range(USERS)]
        ids = [(await desk.accounts.register(username=name, password=PASSWORD, repeat=PASSWORD)).id for name in names]
        result = Seeded(names, [])
        for number in range(REQUESTS):
            k, rest = divmod(number, CONVERSATION_EVERY)  # k: the k-th conversation when rest is 0
            author = k % USERS if rest == 0 else rng.randrange(USERS)
            request_id = await desk.requests.create(
                actor_id=ids[author], title=f'Seeded request {number}: the VPN drops every few minutes',
                description='Since the update on Monday the VPN disconnects about every ten minutes. ' * 3)
            result.request_ids.append(request_id)
            if rest:
                continue
            responder = (author + 1 + 37 * (k // USERS)) % USERS
            speakers = [ids[responder], ids[author]]
            message = await desk.conversations.post(actor_id=speakers[0], request_id=request_id,
                                                    text='Same here; reconnecting helps for a while.')
            for turn in range(1, MESSAGES):
                await desk.conversations.post(actor_id=speakers[turn % 2], request_id=request_id,
                                              conversation_id=message.conversation_id, text=f'Message {turn}.')
            for user in (author, responder):
                result.conversations.setdefault(names[user], []).append((request_id, message.conversation_id))
            result.messages += MESSAGES
    finally:
        await desk.stop()
    result.seconds = time.monotonic() - started
    return result


def tokens(base_url: str, usernames: list[str]) -> list[str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    found = []
    for name in usernames:
        body = json.dumps({'username': name, 'password': PASSWORD}).encode()
        request = urllib.request.Request(f'{base_url}/api/v1/auth/token', data=body,
                                         headers={'Content-Type': 'application/json'})
        with opener.open(request, timeout=10) as response:
            found.append(json.loads(response.read())['access_token'])
    return found


def postgres_cpu(database: str | None = None) -> float:
    """CPU seconds of every process named postgres (the server's backends: pooled connections stay); with
    `database`, of the backends connected to it only (their title names it), which other work on the same
    PostgreSQL (another database's tests or benchmarks) does not change."""
    total = 0
    for stat in Path('/proc').glob('[0-9]*/stat'):
        try:
            text = stat.read_text()
            if '(postgres)' not in text:
                continue
            if database is not None and f' {database} ' not in (stat.parent / 'cmdline').read_bytes().decode(
                    errors='replace').replace('\0', ' '):
                continue
        except OSError:
            continue
        fields = text.rsplit(')', 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def machine_busy() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far, from /proc/stat."""
    values = [int(v) for v in Path('/proc/stat').read_text().split('\n', 1)[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICKS, sum(values) / TICKS


def drive(server: Server, usernames: list[str], conversations: dict[str, list[tuple[int, int]]],
          request_ids: list[int], agents: TicketsPlan | None, args: argparse.Namespace,
          ) -> tuple[list[Result], dict[str, float]]:
    users = [usernames[n % len(usernames)] for n in range(args.clients)]
    access = tokens(server.base_url, users)
    specs = [ClientSpec(token, tuple(conversations.get(user, ()))) for user, token in zip(users, access, strict=True)]
    context = multiprocessing.get_context('spawn')
    pipes, processes = [], []
    for number in range(args.processes):
        plan = Plan(server.base_url, tuple(specs[number::args.processes]), tuple(request_ids), number, agents)
        parent, child = context.Pipe()
        process = context.Process(target=worker_main, args=(child, plan), daemon=True)
        process.start()
        pipes.append(parent)
        processes.append(process)
    for pipe in pipes:
        if not pipe.poll(60):
            raise RuntimeError('a generator process did not start')
        pipe.recv()
    begin = time.monotonic() + 0.5
    start, end = begin + args.warmup, begin + args.warmup + args.duration
    for pipe in pipes:
        pipe.send(('go', begin, start, end))
    time.sleep(max(0.0, start - time.monotonic()))
    database = urllib.parse.urlsplit(server.database_url).path.lstrip('/') or None
    server_cpu, pg_cpu, machine = server.cpu_seconds(), postgres_cpu(), machine_busy()
    own_cpu = postgres_cpu(database) if database else 0.0
    spy = Profiler(server.pid, args.profile, 'api')
    time.sleep(max(0.0, end - time.monotonic()))
    machine_end = machine_busy()
    cpu = {'server': server.cpu_seconds() - server_cpu, 'postgres': postgres_cpu() - pg_cpu,
           'machine': (machine_end[0] - machine[0]) / max(machine_end[1] - machine[1], 1e-9)}
    if database:
        cpu['backends'] = postgres_cpu(database) - own_cpu
    spy.stop()
    results = []
    for pipe in pipes:
        if not pipe.poll(args.duration + 60):
            raise RuntimeError('a generator process did not report')
        results.append(pipe.recv())
    for process in processes:
        process.join(10)
    return results, cpu


def run(backend: str, args: argparse.Namespace) -> str:
    workdir = Path(tempfile.mkdtemp(prefix='api-load-'))  # kept: the server log stays for a look afterwards
    drop = None
    if args.mix == 'tickets':
        return run_tickets(workdir, args)
    if backend == 'postgresql':
        url, drop = fresh_postgres(args.postgres)
    else:
        url = f'sqlite+aiosqlite:///{workdir / "load.db"}'
    try:
        seeded = asyncio.run(seed(url))
        seed_line = (f'seed: {len(seeded.usernames)} users, {len(seeded.request_ids):,} requests, '
                     f'{seeded.messages // MESSAGES:,} conversations with {seeded.messages:,} messages '
                     f'({seeded.seconds:.0f} s)')
        server = Server(workdir / 'server', url)
        server.workdir.mkdir(parents=True)
        server.start()
        try:
            results, cpu = drive(server, seeded.usernames, seeded.conversations, seeded.request_ids, None, args)
        finally:
            server.stop()
        text = report(f'{backend}: {url}', seed_line, results, cpu, args, backend == 'postgresql')
        problems = server.log_problems()
        return text + '\nserver log: ' + (' | '.join(problems[:3]) if problems else 'clean') + f' ({server.log_path})'
    finally:
        if drop is not None:
            drop()


async def vacuum(url: str) -> None:
    """VACUUM (ANALYZE) the kept database before a run: every earlier run's replies and status changes update
    requests, and each such update adds to the trigram index's pending list, which every search then reads through
    (searches took three times as long, and PostgreSQL's CPU per request grew fivefold, over an hour of runs)
    until autovacuum comes round."""
    import asyncpg
    from sqlalchemy.engine import make_url

    connection = await asyncpg.connect(make_url(url).set(drivername='postgresql').render_as_string(
        hide_password=False))
    try:
        await connection.execute('VACUUM (ANALYZE)')
    finally:
        await connection.close()


def run_tickets(workdir: Path, args: argparse.Namespace) -> str:
    """The tickets mix on the kept database (seeded first if missing, changed in size, or --reseed)."""
    from tickets_seed import prepare  # here: the generator processes import this module too, not the app

    url, seeded, fresh = asyncio.run(prepare(args.postgres, reseed=args.reseed, tickets=args.tickets,
                                             messages=args.messages, customers=args.customers, agents=args.agents,
                                             password=PASSWORD))
    if not fresh:
        asyncio.run(vacuum(url))
    seed_line = (f'seed: {seeded.tickets:,} tickets (' + ', '.join(f'{q} {n:,}' for q, n in seeded.per_queue.items())
                 + f'), {seeded.messages:,} messages, {seeded.customers:,} customers, {len(seeded.agents)} agents; '
                 + (f'seeded now in {seeded.seconds:.0f} s' if fresh else 'kept from an earlier run (--reseed), '
                    'vacuumed'))
    plan = TicketsPlan(queues=tuple((q['id'], q['private'], tuple(s[0] for s in q['statuses']))
                                    for q in seeded.queues),
                       search_words=tuple(seeded.search_words), created_first=seeded.created_first,
                       created_last=seeded.created_last)
    server = Server(workdir / 'server', url)
    server.workdir.mkdir(parents=True)
    server.start(timeout=120)  # a new migration builds its indexes on 200,000 rows first
    try:
        results, cpu = drive(server, seeded.agents, {}, [], plan, args)
    finally:
        server.stop()
    text = report(f'tickets mix, postgresql: {url}', seed_line, results, cpu, args, True)
    problems = server.log_problems()
    return text + '\nserver log: ' + (' | '.join(problems[:3]) if problems else 'clean') + f' ({server.log_path})'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--backend', choices=('sqlite', 'postgresql', 'both'), default='both')
    parser.add_argument('--duration', type=float, default=60.0, help='measured seconds (default 60)')
    parser.add_argument('--clients', type=int, default=50, help='concurrent clients (default 50)')
    parser.add_argument('--processes', type=int, default=2, help='generator processes (default 2)')
    parser.add_argument('--warmup', type=float, default=5.0, help='seconds of load before measuring (default 5)')
    parser.add_argument('--postgres', default=DEFAULT_POSTGRES,
                        help=f'PostgreSQL server for a new database, dropped afterwards (default {DEFAULT_POSTGRES})')
    parser.add_argument('--profile', type=Path, metavar='DIR', help='py-spy the server while measuring into '
                        'DIR/api.txt (pip install \'.[bench]\'); see bench/live_profile.py')
    parser.add_argument('--mix', choices=tuple(MIXES), default='board',
                        help="board: the board's requests (default); tickets: the ticket list, on PostgreSQL")
    parser.add_argument('--reseed', action='store_true', help='--mix tickets: seed the kept database again')
    parser.add_argument('--tickets', type=int, default=200_000, help='--mix tickets: tickets (default 200000)')
    parser.add_argument('--messages', type=int, default=1_000_000, help='--mix tickets: messages (default 1000000)')
    parser.add_argument('--customers', type=int, default=5_000, help='--mix tickets: customers (default 5000)')
    parser.add_argument('--agents', type=int, default=20, help='--mix tickets: agents, the clients (default 20)')
    args = parser.parse_args()
    if args.mix == 'tickets' and args.backend == 'sqlite':
        parser.error('--mix tickets runs on PostgreSQL only')
    if args.mix == 'tickets':
        args.backend = 'postgresql'
    os.environ.update(SERVER_ENV)  # Server.start passes this process's environment on to main.py
    for backend in ('sqlite', 'postgresql') if args.backend == 'both' else (args.backend,):
        print(run(backend, args), flush=True)


if __name__ == '__main__':
    main()
