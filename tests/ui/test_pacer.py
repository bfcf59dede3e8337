"""The Pacer: a lone change goes out at once; a burst waits for the next round and makes one refresh per list."""

from __future__ import annotations

import asyncio

from ui.pacer import Pacer


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
