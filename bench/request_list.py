"""Benchmark of the request list page: its queries on SQLite and PostgreSQL, and the demo's time to first page.

Not a test: it prints figures. Run it from the project root:

    .venv/bin/python bench/request_list.py [--backend sqlite|postgresql|both] [--requests N] [--messages N]

For each backend it creates the schema through the app's own migrations, seeds users, requests on the 'Board'
queue, conversations, messages and read markers with bulk inserts (Core executemany on SQLite, COPY on
PostgreSQL), runs ANALYZE, and times `RequestService.list` exactly as the list page calls it. Then it starts
`main.py` on the SQLite demo a few times and measures how long the first GET /requests takes to answer.

It talks to 127.0.0.1 only: PostgreSQL on 127.0.0.1:5432 as user postgres (trust auth), in a fresh database
`bench_requests_<random>` that is dropped at the end, and the demo server it starts itself.

This file is the command line and the run; the parts are its sibling modules (bench/ is not a package):
board_data.py builds the synthetic board, seed_board.py loads it into a scratch database, query_times.py times
the list's queries and prints their table, startup_time.py times the demo's first page.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The app's packages (domain, storage) from the project root, and the sibling modules from bench/ (already first
# on sys.path when run as `python bench/request_list.py`).
sys.path[:0] = [str(Path(__file__).resolve().parent), str(ROOT)]

from board_data import Dataset, build_dataset  # noqa: E402
from query_times import Result, explain, measure, print_query_table, scenarios_for  # noqa: E402
from seed_board import board_info, run_extra_sql, scratch_database, seed_postgresql, seed_sqlite  # noqa: E402
from startup_time import CHROMIUM, bench_first_list_in_browser, bench_first_page  # noqa: E402

from domain.desk import Desk  # noqa: E402
from patches import direct  # noqa: E402
from storage.database import Database  # noqa: E402


@dataclass
class BackendReport:
    backend: str
    data_seconds: float | None
    insert_seconds: float
    migrate_seconds: float
    results: list[Result]


async def bench_backend(backend: str, data_factory: Callable[..., tuple[Dataset, bool]], args: argparse.Namespace
                        ) -> BackendReport:
    async with scratch_database(backend) as (url, dsn):
        print(f'\n=== {backend}: {url}')
        database = Database(url)
        desk = None
        try:
            started = time.perf_counter()
            database.start()
            await database.ready()
            migrate_seconds = time.perf_counter() - started
            queue_id, statuses = await board_info(database)

            started = time.perf_counter()
            data, fresh = data_factory(queue_id=queue_id, statuses=statuses)
            data_seconds = time.perf_counter() - started if fresh else None

            started = time.perf_counter()
            if backend == 'sqlite':
                await seed_sqlite(database, data)
            else:
                assert dsn is not None
                await seed_postgresql(dsn, data)
            insert_seconds = time.perf_counter() - started
            extra = args.sqlite_sql if backend == 'sqlite' else args.pg_sql
            if extra:
                await run_extra_sql(database, extra)
            generated = f'{data_seconds:.2f} s' if data_seconds is not None else 'reused'
            print(f'    migrations {migrate_seconds:.2f} s; data generated in {generated}; '
                  f'inserted + ANALYZE in {insert_seconds:.2f} s '
                  f'({len(data.users):,} users, {len(data.requests):,} requests, {len(data.conversations):,} '
                  f'conversations, {len(data.messages):,} messages, {len(data.read_markers):,} read markers)')

            direct.install()  # hot statements straight to asyncpg, as main.py installs it
            desk = Desk.build(database, secret_key='x')
            results = await measure(backend, desk, scenarios_for(data, statuses), iterations=args.iterations,
                                    warmup=args.warmup)
            check(results, data)
            if args.explain:
                for result in results:
                    print(f'\n  -- plan for ({result.scenario.key}) {result.scenario.label} on {backend}')
                    await explain(database, result)
            return BackendReport(backend, data_seconds, insert_seconds, migrate_seconds, results)
        finally:
            if desk is not None:
                await desk.stop()
            else:
                await database.stop()


def check(results: list[Result], data: Dataset) -> None:
    """Warn when the app's counts differ from the dataset's, or a count / page statement went unrecognised."""
    for result in results:
        expected = {'d': data.search_matches, 'e': data.mine_count,
                    'c': data.status_counts.get(result.scenario.query.status_id or 0)}.get(result.scenario.key)
        if expected is not None and min(expected, 10_000) != result.total:
            print(f'    WARNING: {result.scenario.label}: the app counted {result.total}, expected {expected}')
        missing = [kind for kind in ('count', 'page') if kind not in result.statements]
        if missing:
            print(f'    WARNING: {result.scenario.label}: no {" / ".join(missing)} statement recognised '
                  f'(StatementTimer.kind); its column shows 0.00')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='python bench/request_list.py', description=__doc__.split('\n\n')[0])
    parser.add_argument('--backend', choices=('sqlite', 'postgresql', 'both'), default='both')
    parser.add_argument('--requests', type=int, default=100_000, help='requests on the board (default 100000)')
    parser.add_argument('--messages', type=int, default=300_000,
                        help='messages, about 3 per conversation (default 300000)')
    parser.add_argument('--users', type=int, default=1_000, help='users (default 1000)')
    parser.add_argument('--iterations', type=int, default=200, help='timed runs per query (default 200)')
    parser.add_argument('--warmup', type=int, default=20, help='untimed runs per query first (default 20)')
    parser.add_argument('--startup-runs', type=int, default=3, help='time-to-first-page runs (0 skips them)')
    parser.add_argument('--browser', action='store_true',
                        help=f'also time until headless Chromium ({CHROMIUM}) shows the rendered list')
    parser.add_argument('--explain', action='store_true',
                        help='print EXPLAIN ANALYZE (PostgreSQL) / EXPLAIN QUERY PLAN (SQLite) of each query')
    parser.add_argument('--pg-sql', action='append', default=[], metavar='SQL',
                        help='extra SQL to run on PostgreSQL after seeding (e.g. CREATE INDEX ...), to try a fix')
    parser.add_argument('--sqlite-sql', action='append', default=[], metavar='SQL',
                        help='extra SQL to run on SQLite after seeding, to try a fix')
    args = parser.parse_args()
    if args.users < 10 or args.requests < 1 or args.messages < 0 or args.iterations < 1:
        parser.error('need --users >= 10, --requests >= 1, --messages >= 0, --iterations >= 1')
    return args


async def run_backends(args: argparse.Namespace) -> list[BackendReport]:
    backends = ('sqlite', 'postgresql') if args.backend == 'both' else (args.backend,)
    cache: dict[tuple, Dataset] = {}

    def data_factory(*, queue_id: int, statuses: list[tuple[int, str, str]]) -> tuple[Dataset, bool]:
        key = (queue_id, tuple(statuses))
        if key in cache:  # both backends' migrations give the same ids: the data is built once
            return cache[key], False
        cache[key] = build_dataset(users=args.users, requests=args.requests, messages=args.messages,
                                   queue_id=queue_id, statuses=statuses)
        return cache[key], True

    reports = []
    for backend in backends:
        reports.append(await bench_backend(backend, data_factory, args))
    return reports


def main() -> None:
    args = parse_args()
    os.chdir(ROOT)
    began = time.perf_counter()
    print(f'Load average at start: {" / ".join(f"{x:.2f}" for x in os.getloadavg())} ({os.cpu_count()} CPUs); '
          f'figures from a busy machine are noisy')
    reports = asyncio.run(run_backends(args))
    print('\nSeeding')
    for report in reports:
        generated = f'{report.data_seconds:6.2f} s' if report.data_seconds is not None else '(reused)'
        method = 'Core executemany' if report.backend == 'sqlite' else 'COPY'
        print(f'    {report.backend:<11} migrations {report.migrate_seconds:6.2f} s   data generation {generated:>8}   '
              f'bulk insert ({method}) + ANALYZE {report.insert_seconds:6.2f} s')
    print_query_table([result for report in reports for result in report.results])
    if args.startup_runs:
        bench_first_page(args.startup_runs)
        if args.browser:
            if CHROMIUM.exists():
                asyncio.run(bench_first_list_in_browser(args.startup_runs))
            else:
                print(f'\n(--browser: {CHROMIUM} is missing; skipped)')
    print(f'\nTotal run time {time.perf_counter() - began:.0f} s; load average at the end: '
          f'{" / ".join(f"{x:.2f}" for x in os.getloadavg())}')


if __name__ == '__main__':
    main()
