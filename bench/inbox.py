"""Benchmark of the staff inbox: TicketService.inbox on a seeded support desk, on PostgreSQL (and SQLite).

Not a test: it prints figures. Run it from the project root:

    .venv/bin/python bench/inbox.py [--backend sqlite|postgresql|both] [--tickets N] [--messages N]
                                    [--explain [KEYS]] [--pg-sql SQL ...]

For each backend it creates the schema through the app's own migrations, seeds 20 agents, ~5,000 customers,
tickets in the private 'Support' queue (one open ticket per customer at most), one staff conversation per ticket
with a read marker for the customer, and messages, with bulk inserts (COPY on PostgreSQL, Core executemany on
SQLite), runs VACUUM (ANALYZE), and times `TicketService.inbox` exactly as the inbox page calls it, for a dozen
views, and `TicketService.ticket` for reference.

To try a fix on the benchmark database only: --pg-sql / --sqlite-sql run SQL (e.g. CREATE INDEX) after the
baseline run, then everything is timed again ('+SQL'), so the table shows before and after on the same data.

It talks to 127.0.0.1 only: PostgreSQL on 127.0.0.1:5432 as user postgres (trust auth), in a fresh database
`bench_inbox_<random>` that is dropped WITH (FORCE) at the end.

Sibling modules (bench/ is not a package): inbox_data.py builds the desk, seed_board.py creates, loads and drops
the scratch database, inbox_times.py times the calls and prints the table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(Path(__file__).resolve().parent), str(ROOT)]

from inbox_data import DeskData, build_desk  # noqa: E402
from inbox_times import Result, check, explain, measure, print_table, scenarios_for  # noqa: E402
from seed_board import board_info, copy_tables, insert_tables, run_extra_sql, scratch_database  # noqa: E402

from domain.desk import Desk  # noqa: E402
from patches import direct  # noqa: E402
from storage.database import Database  # noqa: E402

SUPPORT = 'Support'


async def bench_backend(backend: str, args: argparse.Namespace, cache: dict[tuple, DeskData]) -> list[Result]:
    async with scratch_database(backend, prefix='bench_inbox') as (url, dsn):
        print(f'\n=== {backend}: {url}')
        database = Database(url)
        desk = None
        try:
            started = time.perf_counter()
            database.start()
            await database.ready()
            print(f'    migrations {time.perf_counter() - started:.2f} s')
            queue_id, statuses = await board_info(database, SUPPORT)
            key = (queue_id, tuple(statuses))
            if key not in cache:  # both backends' migrations give the same ids: the data is built once
                started = time.perf_counter()
                cache[key] = build_desk(customers=args.customers, agents=args.agents, tickets=args.tickets,
                                        messages=args.messages, queue_id=queue_id, statuses=statuses)
                print(f'    data generated in {time.perf_counter() - started:.2f} s')
            data = cache[key]
            started = time.perf_counter()
            if backend == 'sqlite':
                await insert_tables(database, data.tables())
            else:
                assert dsn is not None
                await copy_tables(dsn, data.tables())
            method = 'Core executemany + ANALYZE' if backend == 'sqlite' else 'COPY + VACUUM (ANALYZE)'
            print(f'    inserted ({method}) in {time.perf_counter() - started:.2f} s')
            describe(data, statuses)

            direct.install()  # hot statements straight to asyncpg, as main.py installs it
            desk = Desk.build(database, secret_key='x')
            scenarios = scenarios_for(data, queue_id, statuses)
            extra = args.sqlite_sql if backend == 'sqlite' else args.pg_sql
            results: list[Result] = []

            async def run(label: str) -> None:
                print(f'    timing: {label} ...', flush=True)
                measured = await measure(backend, label, desk, scenarios, statuses=len(statuses),
                                         iterations=args.iterations, warmup=args.warmup)
                check(measured)
                results.extend(measured)
                if args.explain:
                    for result in measured:
                        if result.scenario.key in args.explain:
                            print(f'\n  -- plans for ({result.scenario.key}) {result.scenario.label} on {backend}, '
                                  f'{label}')
                            await explain(database, result)

            if not (args.skip_baseline and extra):
                await run('baseline')
            if extra:
                await run_extra_sql(database, extra)
                await run('+SQL')
            return results
        finally:
            if desk is not None:
                await desk.stop()
            else:
                await database.stop()


def describe(data: DeskData, statuses: list[tuple[int, str, str]]) -> None:
    names = {status_id: name for status_id, name, _kind in statuses}
    per_status = Counter(row[5] for row in data.requests)
    unassigned = sum(1 for row in data.requests if row[7] is None)
    channels = Counter(row[8] for row in data.requests)
    unread = sum(1 for row in data.requests if row[12])
    customers = sum(1 for row in data.users if row[5] == 'customer')
    print(f'    {len(data.users):,} users ({customers:,} customers, {len(data.agent_ids)} agents), '
          f'{len(data.requests):,} tickets (' + ', '.join(f'{names[s]} {n:,}' for s, n in sorted(per_status.items()))
          + f'), {unassigned / len(data.requests):.0%} unassigned, channels '
          + ', '.join(f'{c} {n:,}' for c, n in channels.most_common())
          + f', staff_unread {unread:,}; {len(data.conversations):,} conversations, {len(data.messages):,} messages, '
          f'{len(data.read_markers):,} read markers')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='python bench/inbox.py', description=__doc__.split('\n\n')[0])
    parser.add_argument('--backend', choices=('sqlite', 'postgresql', 'both'), default='postgresql')
    parser.add_argument('--tickets', type=int, default=200_000, help='tickets in Support (default 200000)')
    parser.add_argument('--messages', type=int, default=1_000_000, help='messages (default 1000000)')
    parser.add_argument('--customers', type=int, default=5_000, help='customers (default 5000)')
    parser.add_argument('--agents', type=int, default=20, help='agents (default 20)')
    parser.add_argument('--iterations', type=int, default=200, help='timed runs per view (default 200)')
    parser.add_argument('--warmup', type=int, default=20, help='untimed runs per view first (default 20)')
    parser.add_argument('--explain', nargs='?', const='abcdefghijk', default='', metavar='KEYS',
                        help='print EXPLAIN (ANALYZE, BUFFERS) / EXPLAIN QUERY PLAN of the counts and page of the '
                             'views KEYS (letters as in the table; default all)')
    parser.add_argument('--pg-sql', action='append', default=[], metavar='SQL',
                        help='SQL to run on PostgreSQL after the baseline (e.g. CREATE INDEX ...), then time again')
    parser.add_argument('--sqlite-sql', action='append', default=[], metavar='SQL',
                        help='SQL to run on SQLite after the baseline, then time again')
    parser.add_argument('--skip-baseline', action='store_true',
                        help='with --pg-sql / --sqlite-sql: skip the baseline run')
    args = parser.parse_args()
    if args.customers < 10 or args.agents < 2 or args.tickets < 1 or args.messages < 0 or args.iterations < 1:
        parser.error('need --customers >= 10, --agents >= 2, --tickets >= 1, --messages >= 0, --iterations >= 1')
    return args


async def run_backends(args: argparse.Namespace) -> list[Result]:
    cache: dict[tuple, DeskData] = {}
    results = []
    for backend in ('sqlite', 'postgresql') if args.backend == 'both' else (args.backend,):
        results += await bench_backend(backend, args, cache)
    return results


def main() -> None:
    args = parse_args()
    os.chdir(ROOT)
    began = time.perf_counter()
    print(f'Load average at start: {" / ".join(f"{x:.2f}" for x in os.getloadavg())} ({os.cpu_count()} CPUs); '
          f'figures from a busy machine are noisy')
    results = asyncio.run(run_backends(args))
    print_table(results)
    for statement in args.pg_sql if args.backend != 'sqlite' else []:
        print(f'+SQL on postgresql: {statement}')
    for statement in args.sqlite_sql if args.backend != 'postgresql' else []:
        print(f'+SQL on sqlite: {statement}')
    print(f'\nTotal run time {time.perf_counter() - began:.0f} s; load average at the end: '
          f'{" / ".join(f"{x:.2f}" for x in os.getloadavg())}')


if __name__ == '__main__':
    main()
