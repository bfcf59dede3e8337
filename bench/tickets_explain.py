"""The ticket list's SQL on the kept database of `api_load.py --mix tickets`: time per statement, and plans.

    .venv/bin/python bench/tickets_explain.py [--explain] [--iterations 30] [--postgres URL] [--only NAMES]

Calls QueueTicketService.browse (what GET /api/v1/tickets runs) as agent 1 for each filter of the mix, first
page (with the counts per status) and second page, and prints the median time of the call, the CPU it took here
(the app's side: SQLAlchemy, asyncpg, the domain) and the time of each of its statements. --explain prints
EXPLAIN (ANALYZE, BUFFERS) of every statement of the last call. The database must have been seeded by
bench/api_load.py --mix tickets (it is not changed here).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(Path(__file__).resolve().parent), str(ROOT)]

import asyncpg  # noqa: E402
from sqlalchemy import event  # noqa: E402
from tickets_seed import DATABASE, TicketsSeed, urls  # noqa: E402

from domain.desk import Desk  # noqa: E402
from domain.tickets.queues import TicketQuery  # noqa: E402
from patches import direct  # noqa: E402
from storage.database import Database  # noqa: E402

DEFAULT_POSTGRES = 'postgresql://postgres@127.0.0.1:5432/postgres'


def queries(seed: TicketsSeed) -> dict[str, TicketQuery]:
    """The mix's filters (api_load_tickets.TICKETS_MIX), each with fixed values."""
    support = next(q for q in seed.queues if q['name'] == 'Support')
    orders = next(q for q in seed.queues if q['name'] == 'Orders')
    middle = datetime.fromtimestamp((seed.created_first + seed.created_last) / 2, UTC)
    return {
        'mine': TicketQuery(kinds=('open',), assignee='me'),
        'mine_all': TicketQuery(assignee='me'),
        'all': TicketQuery(),
        'queue_open': TicketQuery(queue_id=support['id'], status_id=support['statuses'][0][0]),
        'queue_closed': TicketQuery(queue_id=support['id'], status_id=support['statuses'][-1][0]),
        'orders_paid': TicketQuery(queue_id=orders['id'], status_id=orders['statuses'][1][0]),
        'telegram': TicketQuery(channel='telegram'),
        'telegram_open': TicketQuery(channel='telegram', kinds=('open',)),
        'search_word': TicketQuery(search=seed.search_words[0]),
        'search_name': TicketQuery(search=seed.search_words[1]),
        'created_week': TicketQuery(created_from=middle, created_to=middle + timedelta(days=7), sort='created'),
    }


class Statements:
    def __init__(self, engine: Any) -> None:
        self.calls: list[tuple[float, str, Any]] = []
        self._started = 0.0
        event.listen(engine.sync_engine, 'before_cursor_execute', self._before)
        event.listen(engine.sync_engine, 'after_cursor_execute', self._after)

    def _before(self, *_args: Any) -> None:
        self._started = time.perf_counter()

    def _after(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        self.calls.append((time.perf_counter() - self._started, statement, parameters))


async def main(args: argparse.Namespace) -> None:
    url, dsn, admin_dsn = urls(args.postgres)
    admin = await asyncpg.connect(admin_dsn)
    try:
        comment = await admin.fetchval("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                                       'WHERE datname = $1', DATABASE)
    finally:
        await admin.close()
    if not comment:
        raise SystemExit(f'{DATABASE} is not seeded: run bench/api_load.py --mix tickets first')
    seed = TicketsSeed(**json.loads(comment))
    database = Database(url)
    database.start()
    await database.ready()
    direct.install()
    desk = Desk.build(database, secret_key='x')
    statements = Statements(database.engine)
    try:
        for name, query in queries(seed).items():
            if args.only and name not in args.only:
                continue
            for page in (1, 2):
                after = None
                if page == 2:
                    first = await desk.queue_tickets.browse(viewer_id=1, query=query, counted=False)
                    if not first.more:
                        continue
                    row = first.rows[-1]
                    after = (row.updated_at if query.sort == 'updated' else row.created_at, row.id)
                times, cpu, per_statement = [], [], []
                for _ in range(args.iterations):
                    statements.calls = []
                    started, used = time.perf_counter(), time.process_time()
                    found = await desk.queue_tickets.browse(viewer_id=1, query=query, after=after,
                                                            counted=page == 1)
                    times.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - used)
                    per_statement.append([elapsed for elapsed, _sql, _params in statements.calls])
                counts = ' '.join(f'{c.status.name}={c.count}' for c in found.counts or ())
                print(f'== {name} page {page}: {statistics.median(times) * 1000:.2f} ms '
                      f'(this process\'s CPU {statistics.median(cpu) * 1000:.2f} ms), {len(found.rows)} rows, '
                      f'{len(statements.calls)} statements {counts}')
                for index, (_elapsed, sql, _params) in enumerate(statements.calls):
                    median = statistics.median(call[index] for call in per_statement if len(call) > index)
                    print(f'   {median * 1000:7.2f} ms  {" ".join(sql.split())[:160]}')
                if args.explain:
                    await explain(dsn, statements.calls)
    finally:
        await desk.stop()


async def explain(dsn: str, calls: list[tuple[float, str, Any]]) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        for _elapsed, sql, params in calls:
            if 'requests' not in sql:
                continue
            print(f'   -- {" ".join(sql.split())}\n   -- parameters: {params}')
            for row in await connection.fetch(f'EXPLAIN (ANALYZE, BUFFERS) {sql}', *(params or ())):
                print(f'      {row[0]}')
    finally:
        await connection.close()


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--explain', action='store_true', help='EXPLAIN (ANALYZE, BUFFERS) the last call')
    parser.add_argument('--iterations', type=int, default=30)
    parser.add_argument('--postgres', default=DEFAULT_POSTGRES)
    parser.add_argument('--only', nargs='*', default=[], help='filter names to run (default all)')
    asyncio.run(main(parser.parse_args()))
