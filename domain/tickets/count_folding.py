"""The ticket counts' deltas folded into ticket_counts every few seconds (PostgreSQL; migration 0019).

Writers add a delta row for each change of a queue's counts, so that none waits for another's lock on the shared
row until it commits; every read adds the deltas, so counts are right whenever the fold runs. Folding only keeps
the deltas few. Each instance folds; two folds at once move each row once (storage/tickets.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from storage.database import connection_lost
from storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)
FOLD_EVERY = 2.0  # s: a busy desk adds some hundred deltas in that time; a read sums them as it goes


class CountFolding:
    def __init__(self, uow: UnitOfWorkFactory, *, every: float = FOLD_EVERY) -> None:
        self.uow = uow
        self.every = every
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def fold(self) -> None:
        async with self.uow(write=True) as uow:
            await uow.tickets.fold_counts()
            await uow.commit()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            try:
                await self.fold()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the next round tries again; reads stay right meanwhile
                if not connection_lost(error):
                    log.exception('folding the ticket counts failed')
