"""The Pacer: a lone change goes out at once; a burst waits for the next round and makes one refresh per list."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from ui.pacer import SHOW_BATCH, Pacer


def recorder(runs: list[str], name: str):
    async def run() -> None:
        runs.append(name)
    return run


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_lone_request_runs_at_once_and_the_next_ones_wait_for_the_next_round() -> None:
    pacer = Pacer(interval=3600)
    runs: list[str] = []
    pacer.request('a', recorder(runs, 'a'))
    await settle()
    assert runs == ['a']  # after a quiet spell nothing waits

    pacer.request('b', recorder(runs, 'b'))
    await settle()
    assert runs == ['a']  # within the interval of the last round: held for the next one
    assert pacer._task is not None
    pacer._task.cancel()


async def test_a_burst_makes_one_refresh_per_key() -> None:
    pacer = Pacer(interval=0)
    runs: list[str] = []
    for _ in range(5):
        pacer.request('a', recorder(runs, 'a'))
        pacer.request('b', recorder(runs, 'b'))
    await settle()
    assert sorted(runs) == ['a', 'b']


async def test_a_failing_refresh_does_not_stop_the_others() -> None:
    pacer = Pacer(interval=0)
    runs: list[str] = []

    async def fails() -> None:
        raise RuntimeError('the page went away mid-read')

    pacer.request('a', fails)
    pacer.request('b', recorder(runs, 'b'))
    await settle()
    pacer.request('b', recorder(runs, 'b'))
    await settle()
    assert runs == ['b', 'b']


async def test_tabs_showing_the_same_read_share_it_and_each_shows_the_result() -> None:
    pacer = Pacer(interval=0)
    reads: list[str] = []
    shown: list[tuple[str, str]] = []

    def reader(name: str):
        async def read() -> str:
            reads.append(name)
            return f'page {name}'
        return read

    for tab in ('t1', 't2', 't3'):
        pacer.request_shown('first page', reader('first page'), tab,
                            lambda result, tab=tab: shown.append((tab, result)))
    pacer.request_shown('second page', reader('second page'), 't4', lambda result: shown.append(('t4', result)))
    pacer.request_shown('first page', reader('first page'), 't1', lambda result: shown.append(('t1', result)))
    await settle()
    assert sorted(reads) == ['first page', 'second page']  # one read per page, however many tabs show it
    assert sorted(shown) == [('t1', 'page first page'), ('t2', 'page first page'), ('t3', 'page first page'),
                             ('t4', 'page second page')]  # each tab once


async def test_a_tab_that_fails_to_show_does_not_keep_the_others_from_it() -> None:
    pacer = Pacer(interval=0)
    shown: list[str] = []

    async def read() -> str:
        return 'rows'

    def broken(_result: str) -> None:
        raise RuntimeError('this tab closed mid-way')

    pacer.request_shown('page', read, 'broken', broken)
    pacer.request_shown('page', read, 'fine', shown.append)
    await settle()
    assert shown == ['rows']


async def test_many_tabs_are_shown_in_batches_with_the_loop_turning_between_them() -> None:
    """What the first tabs' outboxes send leaves while later tabs are still being shown."""
    pacer = Pacer(interval=0)
    shown: list[int] = []
    shown_when_the_loop_turned: list[int] = []

    async def read() -> str:
        return 'rows'

    def show(tab: int) -> Callable[[str], None]:
        def run(_result: str) -> None:
            if not shown:  # what a shown tab's outbox does: it runs once the loop gets its turn
                asyncio.get_running_loop().call_soon(lambda: shown_when_the_loop_turned.append(len(shown)))
            shown.append(tab)
        return run

    tabs = 2 * SHOW_BATCH + 5
    for tab in range(tabs):
        pacer.request_shown('page', read, tab, show(tab))
    for _ in range(20):
        await asyncio.sleep(0)
    assert shown == list(range(tabs))
    assert shown_when_the_loop_turned == [SHOW_BATCH]


async def test_a_stopped_pacer_runs_nothing_more_on_that_loop() -> None:
    """Shutting down, a round once ran after the database had closed (tests/e2e/test_two_instances)."""
    pacer, ran = Pacer(interval=0), []

    async def refresh() -> None:
        ran.append(1)

    pacer.request('a', refresh)
    pacer.stop()
    pacer.request('b', refresh)
    await asyncio.sleep(0.05)
    assert ran == []
