"""Timing TicketService.inbox as the inbox page calls it, per view, with its SQL statements apart.

One inbox call runs: the viewer, the desk's queues, the workflow's statuses, one capped count per status, a capped
total count, then the page. InboxTimer splits each call's SQL time into those status counts (summed), the total
count, the page and the rest; explain() prints the plans of the last call's counts and page.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from inbox_data import DeskData
from query_times import StatementTimer, percentile

from domain.desk import Desk
from domain.tickets.service import PAGE_SIZE
from domain.tickets.views import InboxQuery
from storage.database import Database
from storage.requests import COUNT_CAP

TARGET_P95_MS = 30.0
PARTS = ('status counts', 'total count', 'page', 'other')


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    query: InboxQuery | None  # None: the ticket page (TicketService.ticket), for reference
    expected: int | None = None  # what the filter matches, uncapped (from the data set)
    viewer_id: int = 1
    ticket_id: int = 0  # the ticket page's ticket


class InboxTimer(StatementTimer):
    """Every statement of the current call in order, as (part, seconds, SQL, parameters)."""

    def __init__(self, engine: Any, statuses: int) -> None:
        super().__init__(engine)
        self.statuses = statuses  # an inbox call counts once per status first, then (maybe) the total
        self.calls: list[tuple[str, float, str, Any]] = []

    def reset(self) -> None:
        super().reset()
        self.calls = []

    def _after(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
               _executemany: bool) -> None:
        elapsed = time.perf_counter() - self._started.pop()
        self.calls.append((self.kind(statement), elapsed, statement, parameters))

    def parts(self) -> dict[str, float]:
        """Seconds per part: an inbox call's first counts are per status, a count after those is the total."""
        counts = [i for i, (kind, *_rest) in enumerate(self.calls) if kind == 'count']
        totals = dict.fromkeys(PARTS, 0.0)
        for index, (kind, elapsed, _sql, _params) in enumerate(self.calls):
            part = {'page': 'page', 'other': 'other'}.get(kind) or \
                ('status counts' if counts.index(index) < self.statuses else 'total count')
            totals[part] += elapsed
        return totals


@dataclass
class Result:
    backend: str
    label: str  # which run: 'baseline', 'with extra SQL', ...
    scenario: Scenario
    total: int
    rows: int
    page: int
    times: list[float]
    parts: dict[str, list[float]]
    statements: list[tuple[str, float, str, Any]] = field(default_factory=list)

    @staticmethod
    def figures(values: list[float]) -> tuple[float, float, float]:
        return (statistics.median(values) * 1000, percentile(values, 0.95) * 1000, max(values) * 1000)


def scenarios_for(data: DeskData, queue_id: int, statuses: list[tuple[int, str, str]]) -> list[Scenario]:
    closed = next(s for s in statuses if s[2] == 'closed')
    me, other = data.agent_ids[0], data.agent_ids[1]
    open_total = data.expected_total(open_only=True)
    deep, deep_label = (InboxQuery(page=100), 'page 100, open') if open_total > 99 * PAGE_SIZE else \
        (InboxQuery(open_only=False, page=100), 'page 100, all (open < 100 pages)')
    return [
        Scenario('a', 'open, updated desc (default)', InboxQuery(), open_total),
        Scenario('b', f"status '{closed[1]}'", InboxQuery(status_id=closed[0], open_only=False),
                 data.expected_total(status_id=closed[0])),
        Scenario('c', f'assignee me (agent {me})', InboxQuery(assignee='me'),
                 data.expected_total(open_only=True, assignee_id=me), viewer_id=me),
        Scenario('d', 'assignee unassigned', InboxQuery(assignee='unassigned'),
                 data.expected_total(open_only=True, unassigned=True)),
        Scenario('e', f'assignee agent {other}', InboxQuery(assignee=other),
                 data.expected_total(open_only=True, assignee_id=other)),
        Scenario('f', "channel 'telegram'", InboxQuery(channel='telegram'),
                 data.expected_total(open_only=True, channel='telegram')),
        Scenario('g', f'queue Support ({queue_id})', InboxQuery(queue_id=queue_id), open_total),
        Scenario('h', f"search '{data.search_word}' ({data.expected_total(search=data.search_word)} in all)",
                 InboxQuery(search=data.search_word),
                 data.expected_total(open_only=True, search=data.search_word)),
        Scenario('i', f"search '{data.name_fragment}' ({data.expected_total(search=data.name_fragment)} in all)",
                 InboxQuery(search=data.name_fragment),
                 data.expected_total(open_only=True, search=data.name_fragment)),
        Scenario('j', deep_label, deep, open_total if deep.open_only else len(data.requests)),
        Scenario('k', 'open, created asc', InboxQuery(sort='created', descending=False), open_total),
        Scenario('t', f'ticket page (#{data.thread_ticket_id}, 20 msgs)', None, ticket_id=data.thread_ticket_id),
    ]


async def measure(backend: str, label: str, desk: Desk, scenarios: list[Scenario], *, statuses: int,
                  iterations: int, warmup: int) -> list[Result]:
    timer = InboxTimer(desk.database.engine, statuses)
    results = []
    for scenario in scenarios:
        call = _call(desk, scenario)
        for _ in range(warmup):
            await call()
        times: list[float] = []
        parts: dict[str, list[float]] = {part: [] for part in PARTS}
        for _ in range(iterations):
            timer.reset()
            started = time.perf_counter()
            outcome = await call()
            times.append(time.perf_counter() - started)
            for part, seconds in timer.parts().items():
                parts[part].append(seconds)
        total, rows, page = outcome
        results.append(Result(backend, label, scenario, total, rows, page, times, parts, list(timer.calls)))
    return results


def _call(desk: Desk, scenario: Scenario) -> Callable[[], Awaitable[tuple[int, int, int]]]:
    """The service call of a scenario, returning (total, rows, page)."""
    query = scenario.query

    async def inbox() -> tuple[int, int, int]:
        assert query is not None
        result = await desk.tickets.inbox(viewer_id=scenario.viewer_id, query=query)
        return result.total, len(result.rows), result.page

    async def ticket() -> tuple[int, int, int]:
        view = await desk.tickets.ticket(viewer_id=scenario.viewer_id, request_id=scenario.ticket_id)
        return len(view.messages), len(view.other_tickets), 1

    return inbox if query is not None else ticket


def check(results: list[Result]) -> None:
    """Warn when the app's totals or page differ from the data set's."""
    for result in results:
        scenario, expected = result.scenario, result.scenario.expected
        if scenario.query is None:
            if result.total != 20:
                print(f'    WARNING: ticket page showed {result.total} messages, expected 20')
            continue
        if expected is not None and min(expected, COUNT_CAP) != result.total:
            print(f'    WARNING: ({scenario.key}) the app counted {result.total}, expected {min(expected, COUNT_CAP)}')
        if scenario.query.page > 1 and result.page != scenario.query.page:
            print(f'    WARNING: ({scenario.key}) showed page {result.page}, asked for {scenario.query.page}')


async def explain(database: Database, result: Result) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) / EXPLAIN QUERY PLAN of the last call's counts and page, with its parameters."""
    async with database.engine.connect() as connection:  # type: ignore[union-attr]
        raw = (await connection.get_raw_connection()).driver_connection
        for kind, elapsed, statement, parameters in result.statements:
            if kind == 'other':
                continue
            print(f'    -- {kind} ({elapsed * 1000:.2f} ms in the timed call): {" ".join(statement.split())}')
            print(f'    -- parameters: {parameters}')
            if database.is_sqlite:
                cursor = await raw.execute(f'EXPLAIN QUERY PLAN {statement}', parameters)
                for row in await cursor.fetchall():
                    print(f'       {row[3]}')
                await cursor.close()
            else:
                for row in await raw.fetch(f'EXPLAIN (ANALYZE, BUFFERS) {statement}', *parameters):
                    print(f'       {row[0]}')
        await connection.rollback()


def print_table(results: list[Result]) -> None:
    print('\nTicketService.inbox as the inbox page calls it, in ms (p50 / p95 / max of the whole call).\n'
          'status counts = the capped count per status, summed; total = the capped total count; page = the page '
          'statement;\nother = the rest (viewer, queues, statuses); each as p50/p95 over the same calls.')
    header = (f'{"backend / run":<24}{"view":<38}{"total":>6}{"rows":>5}  {"p50":>7}{"p95":>8}{"max":>8}  '
              f'{"status counts":>13}  {"total count":>11}  {"page":>11}  {"other":>5}  target')
    print(header)
    print('-' * len(header))
    for result in results:
        p50, p95, peak = result.figures(result.times)
        cells = []
        for part in PARTS[:3]:
            low, high, _ = result.figures(result.parts[part])
            cells.append(f'{low:5.2f}/{high:5.2f}' if result.scenario.query is not None else '')
        other = result.figures(result.parts['other'])[0]
        inbox = result.scenario.query is not None
        verdict = ('ok' if p95 < TARGET_P95_MS else 'MISS') if result.backend == 'postgresql' and inbox else '-'
        run = f'{result.backend} {result.label}'
        view = f'({result.scenario.key}) {result.scenario.label}'
        total = f'{result.total}{"+" if result.total >= COUNT_CAP else ""}' if inbox else f'{result.total}m'
        print(f'{run[:23]:<24}{view[:37]:<38}{total:>6}{result.rows:>5}  {p50:7.2f}{p95:8.2f}{peak:8.2f}  '
              f'{cells[0]:>13}  {cells[1]:>11}  {cells[2]:>11}  {other:5.2f}  {verdict}')
    print(f'(target: p95 < {TARGET_P95_MS:.0f} ms per inbox view on PostgreSQL; the ticket page is for reference; '
          f'for it "total" is its messages, "rows" its other tickets)')
