"""Garbage collection for many open tabs: long-lived page objects frozen, full collections kept rare.

With a thousand tabs, Python's full collections walked every tab's elements and were the main source
of delivery p95 (../shared/NICEGUI.md). Freezing moves what exists into a permanent generation the
collector skips; frozen objects of tabs closed since are reclaimed by the periodic unfreeze + collect.
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
SWEEP_EVERY = 15 * 60.0  # seconds: closed tabs' frozen objects are collected
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


async def _loop() -> None:
    last_sweep = last_trim = time.monotonic()
    trim = malloc_trim()
    while True:
        await asyncio.sleep(REFREEZE_EVERY)
        if time.monotonic() - last_sweep >= SWEEP_EVERY:
            started = time.perf_counter()
            gc.unfreeze()
            collected = gc.collect()
            last_sweep = time.monotonic()
            log.info('gc sweep: %d objects collected in %.0f ms', collected, (time.perf_counter() - started) * 1000)
        gc.freeze()
        if trim is not None and time.monotonic() - last_trim >= TRIM_EVERY:
            started = time.perf_counter()
            trim(0)
            last_trim = time.monotonic()
            log.debug('malloc_trim with %d tabs in %.1f ms', len(Client.instances),
                      (time.perf_counter() - started) * 1000)
