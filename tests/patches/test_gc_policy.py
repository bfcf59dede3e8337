"""The memory policy's parts that run outside a long-lived server."""

from __future__ import annotations

import platform

from patches import gc_policy


def test_freed_memory_is_returned_through_glibc_and_nothing_is_called_elsewhere() -> None:
    trim = gc_policy.malloc_trim()
    if platform.system() == 'Linux' and platform.libc_ver()[0] == 'glibc':
        assert trim is not None
        assert trim(0) in (0, 1)  # 1: some memory went back to the system, 0: there was none to give
    else:
        assert trim is None


def test_a_sweep_comes_once_the_frozen_set_grew_by_its_share_and_after_fifteen_minutes_at_the_latest() -> None:
    grown = int(1_000_000 * (1 + gc_policy.SWEEP_GROWTH)) + 1
    assert gc_policy.sweep_due(grown, 1_000_000, since_last=gc_policy.SWEEP_GAP)
    assert not gc_policy.sweep_due(grown - 2, 1_000_000, since_last=gc_policy.SWEEP_GAP)
    assert not gc_policy.sweep_due(grown, 1_000_000, since_last=gc_policy.SWEEP_GAP - 1)  # tabs opening in a burst
    assert gc_policy.sweep_due(1_000_000, 1_000_000, since_last=gc_policy.SWEEP_EVERY)
