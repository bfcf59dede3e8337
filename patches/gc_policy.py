"""Garbage collection for many open tabs: long-lived page objects frozen, full collections kept rare.

With a thousand tabs, Python's full collections walked every tab's elements and were the main source
of delivery p95 (../shared/NICEGUI.md). Freezing moves what exists into a permanent generation the
collector skips; frozen objects of tabs closed since are reclaimed by an unfreeze + collect (a sweep) once the
frozen set has grown by a share since the last one, and every 15 minutes at the latest. Most of a closed tab is
freed by reference counting (patches.teardown, page_request, socket_close); what the sweep finds is the rest.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import logging
import sys
import time
from collections.abc import Callable

from nicegui import Client, app, background_tasks

from .guard import Versions, broken, guarding

VERIFIED = {'nicegui': Versions('>=3.18.0,<3.19')}  # start-up and background tasks; the rest is CPython's gc
log = logging.getLogger(__name__)
REFREEZE_EVERY = 1.0  # seconds: new tabs' elements join the frozen set (freezing is a cheap list splice)
SWEEP_EVERY = 15 * 60.0  # seconds: closed tabs' frozen objects are collected at the latest after this
# A sweep as soon as the frozen set is this share larger than after the last one: garbage stays a bounded share of
# the heap whatever the churn, and a sweep's pause (a full collection, mostly of the live set: 1.0-3.0 s for
# 0.9-1.1 million objects with 300 tabs in bench/soak.py on two busy cores) is not made longer by garbage piled up
# for 15 minutes (930k objects there: a 5-36 s pause).
SWEEP_GROWTH = 0.25
SWEEP_GAP = 60.0  # seconds between growth-driven sweeps at least: tabs opening by the hundred also grow the set
TRIM_EVERY = 10.0  # seconds: freed memory goes back to the system (a trim took 0.3-1.4 ms with 200 tabs)


_state = {'installed': False}


def install() -> None:
    """Once per process, before `ui.run`: the policy starts with the server."""
    if not _state['installed']:
        _state['installed'] = True
        app.on_startup(_start)


def uninstall() -> None:
    _state['installed'] = False  # a start-up handler already registered finds it off


def installed() -> bool:
    return _state['installed']


def check() -> None:
    """Freezing moves what exists, a new object included, out of the collector's reach."""
    with guarding('nicegui', VERIFIED, 'freezing objects for the garbage collector'):
        frozen_before = gc.get_freeze_count()
        probe = [object()]  # tracked by the collector until frozen
        gc.freeze()
        frozen = gc.get_freeze_count()
        del probe
        if frozen <= frozen_before:
            raise broken('nicegui', VERIFIED, f'gc.freeze froze nothing new ({frozen_before} -> {frozen})')


def _start() -> None:
    if not _state['installed']:
        return
    gc.freeze()  # everything imported and built at start-up stays alive anyway
    background_tasks.create(_loop(), name='gc policy')


def malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, where the C library is glibc (musl and other systems have none)."""
    if not sys.platform.startswith('linux'):
        return None
    try:
        return ctypes.CDLL('libc.so.6').malloc_trim
    except (OSError, AttributeError):
        return None


def sweep_due(frozen: int, after_last: int, since_last: float) -> bool:
    """Whether to sweep now: `frozen` objects, `after_last` of them after the last sweep, `since_last` seconds ago."""
    if since_last >= SWEEP_EVERY:
        return True
    return since_last >= SWEEP_GAP and frozen > after_last * (1 + SWEEP_GROWTH)


async def _loop() -> None:
    last_sweep = last_trim = time.monotonic()
    after_sweep = gc.get_freeze_count()
    trim = malloc_trim()
    while True:
        await asyncio.sleep(REFREEZE_EVERY)
        frozen = gc.get_freeze_count()
        if swept := sweep_due(frozen, after_sweep, time.monotonic() - last_sweep):
            started = time.perf_counter()
            gc.unfreeze()
            collected = gc.collect()
            last_sweep = time.monotonic()
            log.info('gc sweep: %d objects collected of %d frozen (%d after the last sweep) in %.0f ms', collected,
                     frozen, after_sweep, (time.perf_counter() - started) * 1000)
        gc.freeze()
        if swept:
            after_sweep = gc.get_freeze_count()
        if trim is not None and time.monotonic() - last_trim >= TRIM_EVERY:
            started = time.perf_counter()
            trim(0)
            last_trim = time.monotonic()
            log.debug('malloc_trim with %d tabs in %.1f ms', len(Client.instances),
                      (time.perf_counter() - started) * 1000)
