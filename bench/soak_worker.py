"""A generator process of bench/soak.py: holds its share of the tabs, opens and closes tabs on command, as browsers.

Commands over a multiprocessing pipe: ('open', spec, browser, fresh), ('close', tab), ('send', tab, text),
('drain',) which answers with what arrived and was sent since the last drain plus counters, and ('stop',), which
answers likewise and ends the process. The process also ends by itself at `deadline` (monotonic) or when the pipe
closes, so a soak that dies leaves no generator behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from collections import defaultdict
from multiprocessing.connection import Connection

import aiohttp
import uvloop
from live_server import PROJECT_ROOT
from live_tab import SimTab, sign_in
from live_worker import LOGIN_CONCURRENCY, OPEN_CONCURRENCY, TabSpec, _Worker, cpu_seconds

RETIRE_AFTER = 30.0  # seconds a replaced browser's HTTP session stays open (a GET of it may still be running)
Opening = tuple[TabSpec, str, bool]  # (what, which browser: a username or a visitor's key, a new browser?)


def soak_worker_main(conn: Connection, base_url: str, password: str, opening: list[Opening],
                     deadline: float) -> None:
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    from engineio import async_client

    from patches import socket_wait

    socket_wait.install(async_client)
    # A closed tab's socket ends with the websocket's close frame, which engine.io's client logs as a warning.
    logging.getLogger('engineio.client').setLevel(logging.ERROR)
    logging.getLogger('socketio.client').setLevel(logging.ERROR)
    uvloop.run(SoakWorker(conn, base_url, password, opening, deadline).run())


class SoakWorker(_Worker):
    def __init__(self, conn: Connection, base_url: str, password: str, opening: list[Opening],
                 deadline: float) -> None:
        super().__init__(conn, [base_url], password, [])
        self.opening = opening
        self.deadline = deadline
        self.ack_tasks: dict[int, asyncio.Task[None]] = {}
        self.browsers: dict[str, aiohttp.ClientSession] = {}  # one cookie jar per browser
        self.browser_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.doomed: set[int] = set()  # closed while still opening
        self.kinds: dict[int, tuple[TabSpec, str]] = {}  # what each tab not closed by us is, to reload it
        self.counts = {'opened': 0, 'closed': 0, 'failed': 0, 'lost': 0, 'sign_ins': 0}
        self.open_ms: list[float] = []
        self.gates = (asyncio.Semaphore(OPEN_CONCURRENCY), asyncio.Semaphore(LOGIN_CONCURRENCY))

    async def _open_all(self) -> None:
        await asyncio.gather(*(self._open(*item) for item in self.opening))
        self.opening = []

    def _browser(self, key: str) -> aiohttp.ClientSession:
        """A new browser for `key`; the one it replaces is closed a little later."""
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                        connector=aiohttp.TCPConnector(limit=0),
                                        timeout=aiohttp.ClientTimeout(total=60))
        self.sessions.append(session)
        old = self.browsers.get(key)
        self.browsers[key] = session
        if old is not None:
            self._spawn(self._retire(old))
        return session

    async def _retire(self, session: aiohttp.ClientSession) -> None:
        await asyncio.sleep(RETIRE_AFTER)
        self.sessions.remove(session)
        await session.close()

    async def _open(self, spec: TabSpec, key: str, fresh: bool) -> None:
        self.kinds[spec.tab_id] = (spec, key)
        started = time.monotonic()
        opens, logins = self.gates
        try:
            async with opens:
                tab = await self._tab(spec, key, fresh, logins)
        except Exception as error:
            self.counts['failed'] += 1
            self.errors.append(f'open {spec.tab_id} {spec.path}: {error!r}')
            return
        self.open_ms.append((time.monotonic() - started) * 1000)
        self.counts['opened'] += 1
        self.tabs[spec.tab_id] = tab
        self.ack_tasks[spec.tab_id] = asyncio.ensure_future(self._acks(tab))
        if spec.tab_id in self.doomed:
            await self._close(spec.tab_id)

    async def _tab(self, spec: TabSpec, key: str, fresh: bool, logins: asyncio.Semaphore) -> SimTab:
        """A new tab of the browser `key`; a browser's first tab of a person signs in at /login first."""
        url = self.base_urls[0]
        async with self.browser_locks[key]:  # the browser's other tabs wait until it is signed in
            session = None if fresh else self.browsers.get(key)
            if session is None:
                session = self._browser(key)
                if spec.username is not None:
                    async with logins:
                        self.counts['sign_ins'] += 1
                        return await sign_in(url, session, spec.username, self.password, spec.path, spec.tab_id,
                                             self.arrivals.append, keep_elements=spec.acts)
        tab = SimTab(spec.tab_id, url, spec.path, session, self.arrivals.append, keep_elements=spec.acts)
        await tab.open()
        return tab

    async def _close(self, tab_id: int) -> None:
        """As a browser closes a tab: the websocket goes away (a close frame, no socket.io goodbye)."""
        tab = self.tabs.pop(tab_id, None)
        self.kinds.pop(tab_id, None)
        if tab is None:
            self.doomed.add(tab_id)
            return
        self.doomed.discard(tab_id)
        task = self.ack_tasks.pop(tab_id, None)
        if task is not None:
            task.cancel()
        eio = tab.sio.eio if tab.sio is not None else None
        with contextlib.suppress(Exception):
            if eio is not None and eio.ws is not None:
                await asyncio.wait_for(eio.ws.close(), 5)
        self.counts['closed'] += 1

    async def _reload_lost(self) -> None:
        """A tab whose socket the server dropped reloads its page, as nicegui.js does once reconnecting fails: the
        same tab (id, browser, page) comes back as a new client. Bounded by the worker's deadline."""
        while time.monotonic() < self.deadline:
            await asyncio.sleep(1.0)
            for tab_id in [tab_id for tab_id, tab in self.tabs.items() if tab.disconnects]:
                self.errors.append(self.tabs.pop(tab_id).disconnects[0])
                self.ack_tasks.pop(tab_id).cancel()
                self.counts['lost'] += 1
                if tab_id in self.kinds:
                    self._spawn(self._open(*self.kinds[tab_id], False))

    def _drain(self) -> dict[str, object]:
        arrivals = [arrival for arrival in self.arrivals if arrival[0].startswith('LT-')]
        self.arrivals.clear()  # in place: the tabs hold its append
        sends, self.sends = self.sends, []
        report = {'arrivals': arrivals, 'sends': sends, 'open': len(self.tabs), 'open_ms': self.open_ms,
                  'cpu': cpu_seconds(), 'errors': self.errors[-5:], **self.counts}
        self.open_ms, self.errors = [], []
        return report

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        self._spawn(self._reload_lost())
        try:
            while time.monotonic() < self.deadline:
                if not await loop.run_in_executor(None, self.conn.poll, 1.0):
                    continue
                command = self.conn.recv()
                if command[0] == 'stop':
                    self.conn.send(('stop', self._drain()))
                    return
                if command[0] == 'drain':
                    self.conn.send(('drain', self._drain()))
                elif command[0] == 'open':
                    self._spawn(self._open(*command[1:]))
                elif command[0] == 'close':
                    self._spawn(self._close(command[1]))
                elif command[0] == 'send':
                    self._spawn(self._send(command[1], command[2]))
        except (EOFError, OSError):  # the soak went away
            pass
        finally:
            for task in [*self.ack_tasks.values(), *self.pending]:
                task.cancel()
