"""Garbage collection for many open tabs: long-lived page objects frozen, full collections kept rare.

With a thousand tabs, Python's full collections walked every tab's elements and were the main source
of delivery p95 (../shared/NICEGUI.md). Freezing moves what exists into a permanent generation the
collector skips; frozen objects of tabs closed since are reclaimed by an unfreeze + collect (a sweep) once
Python's heap per tab has grown by a share since the last one, and every 15 minutes at the latest. Most of a closed
tab is freed by reference counting (patches.teardown, page_request, socket_close); what the sweep finds is the rest.
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
# A sweep as soon as Python's heap per tab is this share larger than after the last one: garbage stays a bounded
# share of the heap whatever the churn, and a sweep's pause (a full collection, mostly of the live set: 1.0-3.0 s for
# 0.9-1.1 million objects with 300 tabs in bench/soak.py on two busy cores) is not made longer by garbage piled up
# for 15 minutes (930k objects there: a 5-36 s pause). Per tab, so that tabs opening by the thousand (a heap that
# grows with live pages) bring no sweep, while tabs closing and leaving garbage (a heap that does not shrink with
# them) do. The heap is counted in pymalloc's blocks (`sys.getallocatedblocks`, a walk over its 4 kB pools: about
# 1 ms for a 600 MB heap), not in frozen objects: `gc.get_freeze_count` walks every frozen object, and called every
# second it cost 200 ms a second with 1,000 tabs (bench/live_load.py scenario 3: server CPU 3.0 s -> 5.8 s).
SWEEP_GROWTH = 0.25
SWEEP_GAP = 60.0  # seconds between growth-driven sweeps at least
CHECK_EVERY = 10.0  # seconds between looks at the heap
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


def heap_per_tab() -> float:
    """Python's allocated memory blocks per NiceGUI client (one at least)."""
    return sys.getallocatedblocks() / max(len(Client.instances), 1)


def sweep_due(per_tab: float, least: float, since_last: float) -> bool:
    """Whether to sweep now: `per_tab` heap blocks per tab, `least` the fewest seen since the last sweep (`since_last`
    seconds ago)."""
    if since_last >= SWEEP_EVERY:
        return True
    return since_last >= SWEEP_GAP and per_tab > least * (1 + SWEEP_GROWTH)


async def _loop() -> None:
    last_sweep = last_trim = last_check = time.monotonic()
    least = heap_per_tab()  # falls as tabs open; garbage of closed tabs makes the heap per tab rise from it
    trim = malloc_trim()
    while True:
        await asyncio.sleep(REFREEZE_EVERY)
        now = time.monotonic()
        if now - last_sweep >= SWEEP_EVERY or now - last_check >= CHECK_EVERY:
            last_check = now
            per_tab = heap_per_tab()
            least = min(least, per_tab)
            if sweep_due(per_tab, least, now - last_sweep):
                started = time.perf_counter()
                gc.unfreeze()
                collected = gc.collect()
                last_sweep = time.monotonic()
                least = heap_per_tab()
                log.info('gc sweep: %d objects collected in %.0f ms; heap per tab %.0f blocks, %.0f after the sweep',
                         collected, (time.perf_counter() - started) * 1000, per_tab, least)
        gc.freeze()
        if trim is not None and time.monotonic() - last_trim >= TRIM_EVERY:
            started = time.perf_counter()
            trim(0)
            last_trim = time.monotonic()
            log.debug('malloc_trim with %d tabs in %.1f ms', len(Client.instances),
                      (time.perf_counter() - started) * 1000)
