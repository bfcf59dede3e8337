"""Live events for API clients: how fast one change reaches 1,000 open event streams (SSE), and none lost or twice.

    .venv/bin/python bench/api_events.py [--backend sqlite|postgresql] [--streams 1000] [--processes 2]
                                         [--rounds 5] [--postgres URL]

Seeds customers, agents and one public board request into a fresh SQLite file (or a new PostgreSQL database,
dropped afterwards), starts `python main.py` on a free 127.0.0.1 port, signs everyone in, and opens `--streams`
GET /api/v1/events streams (four in five a customer's, one in five an agent's, over `--processes` aiohttp client
processes). Then, `--rounds` times, an agent moves the request to another status through the API: each stream
should receive that one status.changed event. Prints p50/p95/p99 from the POST to each stream's receipt, the
events lost (a stream that never received one) and duplicated, and the CPU of the server and the clients.
Target: p95 < 150 ms, nothing lost, nothing twice.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'bench'))

from live_server import PASSWORD, Server, fresh_postgres, run_seed

DEFAULT_POSTGRES = 'postgresql://postgres@127.0.0.1:5432/postgres'
SERVER_ENV = {'RATE_LIMIT_API': '1000000/minute', 'RATE_LIMIT_AUTH': '100000/minute', 'LOG_LEVEL': 'WARNING'}
CUSTOMERS, AGENTS = 40, 10  # streams share their tokens round-robin
TARGET_P95 = 0.150
SETTLE = 2.0  # seconds after a round for late deliveries


def post(url: str, body: dict[str, object], token: str | None = None) -> dict[str, object]:
    headers = {'Content-Type': 'application/json'} | ({'Authorization': f'Bearer {token}'} if token else {})
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method='POST')
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=30) as response:
        return json.loads(response.read() or b'{}')


def get(url: str, token: str) -> dict[str, object]:
    request = urllib.request.Request(url, headers={'Authorization': f'Bearer {token}'})
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=30) as response:
        return json.loads(response.read())


def sign_in(base: str, username: str) -> str:
    return str(post(f'{base}/api/v1/auth/token', {'username': username, 'password': PASSWORD})['access_token'])


# --- the client processes -------------------------------------------------------------------------------------

def client_main(base: str, tokens: list[str], pipe: Connection) -> None:
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    asyncio.run(_clients(base, tokens, pipe))


async def _clients(base: str, tokens: list[str], pipe: Connection) -> None:
    import aiohttp

    received: list[dict[int, list[float]]] = [{} for _ in tokens]  # per stream: event id -> arrival times
    opened = 0

    async def stream(index: int, session: aiohttp.ClientSession) -> None:
        nonlocal opened
        async with session.get(f'{base}/api/v1/events', headers={'Authorization': f'Bearer {tokens[index]}'}) as r:
            assert r.status == 200, await r.text()
            opened += 1
            async for line in r.content:
                if line.startswith(b'id: '):
                    arrived = time.time()
                    received[index].setdefault(int(line[4:]), []).append(arrived)

    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=None)) as session:
        tasks = [asyncio.create_task(stream(index, session)) for index in range(len(tokens))]
        while opened < len(tokens):
            if any(task.done() for task in tasks):
                failed = next(task for task in tasks if task.done())
                raise RuntimeError(f'a stream failed: {failed.exception()!r}')
            await asyncio.sleep(0.05)
        pipe.send('open')
        await asyncio.get_running_loop().run_in_executor(None, pipe.recv)  # 'done'
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    cpu = time.process_time()
    pipe.send((received, cpu))


# --- the run ----------------------------------------------------------------------------------------------------

def run(args: argparse.Namespace) -> None:
    os.environ.update(SERVER_ENV)
    drop = None
    with tempfile.TemporaryDirectory(prefix='api-events-') as workdir:
        if args.backend == 'postgresql':
            database_url, drop = fresh_postgres(args.postgres)
        else:
            database_url = f'sqlite+aiosqlite:///{Path(workdir) / "bench.db"}'
        customers = [f'evc{n:03d}' for n in range(CUSTOMERS)]
        agents = [f'eva{n:03d}' for n in range(AGENTS)]
        seeded = run_seed(database_url, customers=customers, agents=agents, author=customers[0], responders=[],
                          support_openers=[], board_requests=1)
        server = Server(Path(workdir), database_url)
        server.start()
        try:
            measure(server, seeded.request_id, customers, agents, args)
        finally:
            server.stop()
            problems = server.log_problems()
            if problems:
                print('server log:', *problems, sep='\n  ')
            if drop is not None:
                drop()


def measure(server: Server, request_id: int, customers: list[str], agents: list[str],
            args: argparse.Namespace) -> None:
    base = server.base_url
    tokens = {name: sign_in(base, name) for name in customers + agents}
    mover = tokens[agents[0]]
    names = [agents[n % len(agents)] if n % 5 == 0 else customers[n % len(customers)] for n in range(args.streams)]
    share = [names[n::args.processes] for n in range(args.processes)]
    pipes, processes = [], []
    for part in share:
        mine, theirs = multiprocessing.Pipe()
        process = multiprocessing.Process(target=client_main, args=(base, [tokens[name] for name in part], theirs))
        process.start()
        pipes.append(mine)
        processes.append(process)
    for pipe in pipes:
        if pipe.recv() != 'open':
            raise RuntimeError('a client process failed')
    print(f'{args.streams} streams open ({args.backend}); {args.rounds} status changes')
    time.sleep(1.0)
    server_cpu = server.cpu_seconds()
    sent: list[float] = []
    for _ in range(args.rounds):
        ticket = get(f'{base}/api/v1/tickets/{request_id}', mover)
        target = ticket['next_statuses'][0]['id']  # type: ignore[index]
        sent.append(time.time())
        post(f'{base}/api/v1/tickets/{request_id}/status', {'status_id': target}, mover)
        time.sleep(SETTLE)
    server_cpu = server.cpu_seconds() - server_cpu
    for pipe in pipes:
        pipe.send('done')
    results = [pipe.recv() for pipe in pipes]
    for process in processes:
        process.join(timeout=10)
    report([stream for received, _cpu in results for stream in received], sent, server_cpu,
           sum(cpu for _received, cpu in results), args)


def report(streams: list[dict[int, list[float]]], sent: list[float], server_cpu: float, client_cpu: float,
           args: argparse.Namespace) -> None:
    ids = sorted({event_id for stream in streams for event_id in stream})
    if len(ids) != len(sent):
        print(f'warning: {len(ids)} distinct events for {len(sent)} changes (rules fired more?)')
    latencies, lost, duplicated = [], 0, 0
    for round_index, event_id in enumerate(ids[:len(sent)]):
        for stream in streams:
            arrivals = stream.get(event_id)
            if not arrivals:
                lost += 1
                continue
            duplicated += len(arrivals) - 1
            latencies.append(arrivals[0] - sent[round_index])
    lost += len(streams) * max(0, len(sent) - len(ids))
    if not latencies:
        print('no deliveries at all')
        return
    cuts = statistics.quantiles(latencies, n=100)
    p50, p95, p99 = cuts[49], cuts[94], cuts[98]
    print(f'deliveries {len(latencies)}: p50 {p50 * 1000:.0f} ms  p95 {p95 * 1000:.0f} ms  p99 {p99 * 1000:.0f} ms'
          f'  max {max(latencies) * 1000:.0f} ms')
    print(f'lost {lost}  duplicated {duplicated}')
    print(f'server CPU {server_cpu:.2f} s over {len(sent)} rounds; client CPU {client_cpu:.2f} s '
          f'({args.processes} processes)')
    verdict = 'meets' if p95 < TARGET_P95 and not lost and not duplicated else 'MISSES'
    print(f'{verdict} the target: p95 < {TARGET_P95 * 1000:.0f} ms, nothing lost, nothing twice')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--backend', choices=['sqlite', 'postgresql'], default='sqlite')
    parser.add_argument('--streams', type=int, default=1000)
    parser.add_argument('--processes', type=int, default=2)
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--postgres', default=os.environ.get('TEST_DATABASE_URL', DEFAULT_POSTGRES))
    run(parser.parse_args())


if __name__ == '__main__':
    main()
