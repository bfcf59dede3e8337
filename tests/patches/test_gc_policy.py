"""The memory policy's parts that run outside a long-lived server."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import platform
import sys
from collections.abc import Callable
from types import SimpleNamespace

import pytest

from patches import gc_policy


def test_freed_memory_is_returned_through_glibc_and_nothing_is_called_elsewhere() -> None:
    trim = gc_policy.malloc_trim()
    if platform.system() == 'Linux' and platform.libc_ver()[0] == 'glibc':
        assert trim is not None
        assert trim(0) in (0, 1)  # 1: some memory went back to the system, 0: there was none to give
    else:
        assert trim is None


def test_a_sweep_comes_once_the_heap_per_tab_grew_by_its_share_and_after_fifteen_minutes_at_the_latest() -> None:
    grown = 1_000 * (1 + gc_policy.SWEEP_GROWTH) + 1
    assert gc_policy.sweep_due(grown, 1_000, since_last=gc_policy.SWEEP_GAP)
    assert not gc_policy.sweep_due(grown - 2, 1_000, since_last=gc_policy.SWEEP_GAP)
    assert not gc_policy.sweep_due(grown, 1_000, since_last=gc_policy.SWEEP_GAP - 1)
    assert gc_policy.sweep_due(1_000, 1_000, since_last=gc_policy.SWEEP_EVERY)


async def test_the_policy_never_counts_the_frozen_set_and_tabs_opening_bring_no_sweep(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting frozen objects walks every one of them (200 ms a second with 1,000 tabs); and a heap that grows with
    the tabs opening is no garbage: the sweep waits for the heap per tab to grow."""
    def counted() -> int:
        raise AssertionError('gc.get_freeze_count walks the whole frozen set')

    heap = iter(range(1_000_000, 10**9, 200_000))  # Python's heap grows by a fifth of a million blocks a look...
    tabs = iter(range(1, 10**6, 400))  # ...while 400 tabs open between two looks
    monkeypatch.setattr(gc, 'get_freeze_count', counted)
    monkeypatch.setattr(sys, 'getallocatedblocks', lambda: next(heap))
    monkeypatch.setattr(gc_policy, 'Client', SimpleNamespace(instances=Sized(lambda: next(tabs))))
    swept = await sweeps_of_a_brief_run(monkeypatch)
    assert next(tabs) > 4_000, 'the policy looked at the heap'
    assert swept == []


async def test_a_heap_that_grows_while_the_tabs_stay_is_swept(monkeypatch: pytest.MonkeyPatch) -> None:
    heap = iter(range(1_000_000, 10**9, 100_000))
    monkeypatch.setattr(sys, 'getallocatedblocks', lambda: next(heap))
    monkeypatch.setattr(gc_policy, 'Client', SimpleNamespace(instances=Sized(lambda: 300)))
    swept = await sweeps_of_a_brief_run(monkeypatch)
    assert swept


async def sweeps_of_a_brief_run(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Run the policy's loop for 0.1 s with no pauses between its looks; one entry per sweep it made."""
    monkeypatch.setattr(gc_policy, 'REFREEZE_EVERY', 0.001)
    monkeypatch.setattr(gc_policy, 'CHECK_EVERY', 0.0)
    monkeypatch.setattr(gc_policy, 'SWEEP_GAP', 0.0)
    swept: list[int] = []
    monkeypatch.setattr(gc, 'collect', lambda: swept.append(1) or 0)
    task = asyncio.create_task(gc_policy._loop())
    await asyncio.sleep(0.1)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    gc.unfreeze()
    return swept


class Sized:
    """A stand-in for `Client.instances` whose length is what `count` says at each look."""

    def __init__(self, count: Callable[[], int]) -> None:
        self.count = count

    def __len__(self) -> int:
        return self.count()
