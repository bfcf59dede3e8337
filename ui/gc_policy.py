"""Garbage collection for many open tabs: long-lived page objects frozen, full collections kept rare.

With a thousand tabs, Python's full collections walked every tab's elements and were the main source
of delivery p95 (../shared/NICEGUI.md). Freezing moves what exists into a permanent generation the
collector skips; frozen objects of tabs closed since are reclaimed by the periodic unfreeze + collect.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time

from nicegui import app, background_tasks

log = logging.getLogger(__name__)
REFREEZE_EVERY = 1.0  # seconds: new tabs' elements join the frozen set (freezing is a cheap list splice)
SWEEP_EVERY = 15 * 60.0  # seconds: closed tabs' frozen objects are collected


def install() -> None:
    app.on_startup(_start)


def _start() -> None:
    gc.freeze()  # everything imported and built at start-up stays alive anyway
    background_tasks.create(_loop(), name='gc policy')


async def _loop() -> None:
    last_sweep = time.monotonic()
    while True:
        await asyncio.sleep(REFREEZE_EVERY)
        if time.monotonic() - last_sweep >= SWEEP_EVERY:
            started = time.perf_counter()
            gc.unfreeze()
            collected = gc.collect()
            last_sweep = time.monotonic()
            log.info('gc sweep: %d objects collected in %.0f ms', collected, (time.perf_counter() - started) * 1000)
        gc.freeze()
