"""Timing RequestService.list as the list page calls it, per scenario, with its count and page statements apart.

The scenarios are the list page's usual views (first page, a deep page, a status filter, a title search, 'mine');
StatementTimer hooks the engine to time the bounded count and the page statement alone; explain() prints
their plans; print_query_table() prints the figures.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from board_data import Dataset
from sqlalchemy import event

from domain.desk import Desk
from domain.requests.service import RequestQuery
from storage.database import Database

TARGET_P95_MS = 20.0


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    query: RequestQuery
    viewer_id: int | None = None


class StatementTimer:
    """Wall time of each SQL statement, grouped as count / page / other, for the current call."""

    def __init__(self, engine: Any) -> None:
        self.current: dict[str, float] = defaultdict(float)
        self.statements: dict[str, tuple[str, Any]] = {}
        self._started: list[float] = []
        event.listen(engine.sync_engine, 'before_cursor_execute', self._before)
        event.listen(engine.sync_engine, 'after_cursor_execute', self._after)

    @staticmethod
    def kind(statement: str) -> str:
        """'count', 'page' or 'other', from the SQL text.

        RequestRepository.page has two shapes: the first page joins and limits in one SELECT (`FROM requests
        JOIN workflow_statuses ... LIMIT`); later pages pick the ids in a subquery and join those (`FROM requests
        JOIN (SELECT requests.id ... LIMIT ... OFFSET ...) AS anon_1 ON ... JOIN workflow_statuses ...`).
        """
        sql = ' '.join(statement.split())
        if 'count(' in sql.lower() and 'FROM requests' in sql:
            return 'count'
        if 'FROM requests JOIN' in sql and 'JOIN workflow_statuses' in sql and ('LIMIT' in sql or 'OFFSET' in sql):
            return 'page'
        return 'other'

    def reset(self) -> None:
        self.current = defaultdict(float)

    def _before(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                _executemany: bool) -> None:
        self._started.append(time.perf_counter())

    def _after(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
               _executemany: bool) -> None:
        elapsed = time.perf_counter() - self._started.pop()
        kind = self.kind(statement)
        self.current[kind] += elapsed
        if kind in ('count', 'page'):
            self.statements[kind] = (statement, parameters)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Result:
    backend: str
    scenario: Scenario
    total: int
    capped: bool
    rows: int
    page: int
    times: list[float]
    count_times: list[float]
    page_times: list[float]
    other_times: list[float]
    statements: dict[str, tuple[str, Any]]

    def figures(self, values: list[float]) -> tuple[float, float, float]:
        return (statistics.median(values) * 1000, percentile(values, 0.95) * 1000, max(values) * 1000)


async def measure(backend: str, desk: Desk, scenarios: list[Scenario], *, iterations: int,
                  warmup: int) -> list[Result]:
    timer = StatementTimer(desk.database.engine)
    results = []
    for scenario in scenarios:
        for _ in range(warmup):
            await desk.requests.list(viewer_id=scenario.viewer_id, query=scenario.query)
        timer.statements = {}
        times, count_times, page_times, other_times = [], [], [], []
        page = None
        for _ in range(iterations):
            desk.requests.pages.forget()  # time the queries, not the shared answer open lists get after a change
            timer.reset()
            started = time.perf_counter()
            page = await desk.requests.list(viewer_id=scenario.viewer_id, query=scenario.query)
            times.append(time.perf_counter() - started)
            count_times.append(timer.current['count'])
            page_times.append(timer.current['page'])
            other_times.append(timer.current['other'])
        assert page is not None
        results.append(Result(backend, scenario, page.total, page.capped, len(page.rows), page.page, times,
                              count_times, page_times, other_times, dict(timer.statements)))
    return results


def scenarios_for(data: Dataset, statuses: list[tuple[int, str, str]]) -> list[Scenario]:
    active = next((s for s in statuses if s[2] == 'active'), statuses[0])
    return [
        Scenario('a', 'first page, created desc', RequestQuery()),
        Scenario('b', 'page 200, created desc', RequestQuery(page=200)),
        Scenario('c', f"status '{active[1]}', updated desc", RequestQuery(status_id=active[0], sort='updated')),
        Scenario('d', f"search '{data.search_word}'", RequestQuery(search=data.search_word)),
        Scenario('e', f'mine (user {data.mine_user_id})', RequestQuery(mine=True), viewer_id=data.mine_user_id),
    ]


async def explain(database: Database, result: Result) -> None:
    """Print the plan of the count and page statements this scenario ran, with the parameters it used."""
    async with database.engine.connect() as connection:  # type: ignore[union-attr]
        raw = (await connection.get_raw_connection()).driver_connection
        for kind in ('count', 'page'):
            if kind not in result.statements:
                continue
            statement, parameters = result.statements[kind]
            print(f'    -- {kind}: {" ".join(statement.split())}')
            print(f'    -- parameters: {parameters}')
            if database.is_sqlite:
                cursor = await raw.execute(f'EXPLAIN QUERY PLAN {statement}', parameters)
                for row in await cursor.fetchall():
                    print(f'       {row[3]}')
                await cursor.close()
            else:
                rows = await raw.fetch(f'EXPLAIN (ANALYZE, BUFFERS) {statement}', *parameters)
                for row in rows:
                    print(f'       {row[0]}')
        await connection.rollback()



def print_query_table(results: list[Result]) -> None:
    print('\nRequestService.list as the list page calls it (session, board lookup, bounded count, page), in ms.\n'
          'count / page = those two statements alone (p50/p95); other = the remaining SQL (board lookup, user) p50')
    header = (f'{"backend":<11}{"query":<36}{"total":>8}{"rows":>5}  {"p50":>7}{"p95":>8}{"max":>8}  '
              f'{"count p50/p95":>15}  {"page p50/p95":>14}  {"other":>5}  target')
    print(header)
    print('-' * len(header))
    for result in results:
        p50, p95, peak = result.figures(result.times)
        c50, c95, _ = result.figures(result.count_times)
        g50, g95, _ = result.figures(result.page_times)
        o50, _, _ = result.figures(result.other_times)
        total = f'{result.total}{"+" if result.capped else ""}'
        verdict = ('ok' if p95 < TARGET_P95_MS else 'MISS') if result.backend == 'postgresql' else '-'
        label = f'({result.scenario.key}) {result.scenario.label}'
        print(f'{result.backend:<11}{label[:35]:<36}{total:>8}{result.rows:>5}  {p50:>7.2f}{p95:>8.2f}'
              f'{peak:>8.2f}  {c50:>6.2f}/{c95:>6.2f}   {g50:>6.2f}/{g95:>6.2f}  {o50:>5.2f}  {verdict}')
    print(f'(target: p95 < {TARGET_P95_MS:.0f} ms per query on PostgreSQL)')
