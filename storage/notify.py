"""Events between app instances on one PostgreSQL: NOTIFY in the committing transaction, LISTEN on a connection.

Payloads carry the event's kind and ids only (never text): pages re-read what they show.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import secrets
from collections.abc import Callable
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from . import execution
from .execution import hot

log = logging.getLogger(__name__)
CHANNEL = 'switchboard_events'
NOTIFY = hot(text('SELECT pg_notify(:channel, :payload)'))
BACKOFF = (0.2, 0.5, 1.0, 2.0)  # seconds between reconnect attempts; the last one repeats
PAYLOAD_MAX = 7_000  # characters of events per NOTIFY; PostgreSQL refuses payloads of 8,000 bytes or more
HEALTH_CHECK = 2.0  # seconds; a dead connection is noticed within this even if no FIN arrives


class Announcer:
    """Encodes events for NOTIFY, tagged with this instance, so its own listener can skip them."""

    def __init__(self) -> None:
        self.instance = secrets.token_hex(6)

    def encode(self, events: list[Any]) -> list[str]:
        """The events as few payloads as fit PostgreSQL's limit: one statement per commit, as a rule."""
        payloads: list[str] = []
        batch: list[list[Any]] = []
        size = 0
        for event in events:
            item = [type(event).__name__, list(dataclasses.astuple(event))]
            item_size = len(json.dumps(item))
            if batch and size + item_size > PAYLOAD_MAX:
                payloads.append(json.dumps([self.instance, batch]))
                batch, size = [], 0
            batch.append(item)
            size += item_size + 1
        if batch:
            payloads.append(json.dumps([self.instance, batch]))
        return payloads

    async def announce(self, connection: AsyncConnection, events: list[Any]) -> None:
        for payload in self.encode(events):  # sent by PostgreSQL only if and when the transaction commits
            await execution.fetch(connection, NOTIFY, {'channel': CHANNEL, 'payload': payload})


class Listener:
    """Holds a LISTEN connection; hands other instances' events to `deliver`, calls `resync` after a reconnect."""

    def __init__(self, url: str, announcer: Announcer, kinds: dict[str, type], *,
                 deliver: Callable[[Any], None], resync: Callable[[], None]) -> None:
        self.dsn = make_url(url).set(drivername='postgresql').render_as_string(hide_password=False)
        self.announcer = announcer
        self.kinds = kinds
        self.deliver = deliver
        self.resync = resync
        self.connected = asyncio.Event()
        self.backend_pid: int | None = None  # the LISTEN session's server process, for tests that cut it
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        attempt, first = 0, True
        while True:
            try:
                connection = await asyncpg.connect(self.dsn, timeout=5)
            except (OSError, asyncpg.PostgresError, TimeoutError) as error:
                await self._wait(attempt, error)
                attempt += 1
                continue
            try:
                await connection.add_listener(CHANNEL, self._on_notify)
                self.backend_pid = connection.get_server_pid()
                self.connected.set()
                if not first:
                    log.info('event bridge reconnected; pages re-read what they show')
                    self.resync()  # whatever was raised while we were away is read again
                first, attempt = False, 0
                await self._watch(connection)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as error:
                log.warning('event bridge lost its connection: %s', error)
            finally:
                self.connected.clear()
                await _close(connection)

    async def _watch(self, connection: asyncpg.Connection) -> None:
        while not connection.is_closed():
            await asyncio.sleep(HEALTH_CHECK)
            await connection.fetchval('SELECT 1', timeout=HEALTH_CHECK)

    async def _wait(self, attempt: int, error: BaseException) -> None:
        delay = BACKOFF[min(attempt, len(BACKOFF) - 1)]
        if attempt == 0 or attempt % 10 == 0:
            log.warning('event bridge cannot connect (%s); retrying every %.1f s', error, delay)
        await asyncio.sleep(delay)

    def _on_notify(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        try:
            instance, batch = json.loads(payload)
            if instance == self.announcer.instance:
                return  # published here already, right after the commit
            events = [self.kinds[kind](*fields) for kind, fields in batch]
        except (ValueError, KeyError, TypeError):
            log.warning('event bridge ignored a malformed notification: %.200s', payload)
            return
        for event in events:
            self.deliver(event)


async def _close(connection: asyncpg.Connection) -> None:
    try:
        await asyncio.wait_for(connection.close(), timeout=1)
    except Exception:  # a dead connection may not close politely
        connection.terminate()
