"""A generator process: signs its users in, holds its share of the tabs, acts on command, reports arrivals.

Commands over a multiprocessing pipe: ('send', tab, text), ('reply', tab, text) (an agent's "Reply" on the desk),
('choose', tab, label, option), ('create', tab, title),
('schedule', [(delay_s, tab, text), ...]) and ('results',), which answers and ends the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from multiprocessing.connection import Connection

import aiohttp
import uvloop
from live_server import PROJECT_ROOT
from live_tab import Arrival, SimTab, browser_address, sign_in

OPEN_CONCURRENCY = 16
LOGIN_CONCURRENCY = 4
VISITORS_PER_SESSION = 50
ACK_EVERY = 3.0


@dataclass(frozen=True)
class TabSpec:
    tab_id: int
    username: str | None  # None: a visitor
    path: str
    acts: bool = False  # sends messages or changes a status: keeps its element tree
    server: int = 0  # which app instance the tab talks to (a browser sticks to one, as with sticky sessions)
    later: bool = False  # opened after the others' idle memory was measured (scenario 8's agents)


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def worker_main(conn: Connection, base_urls: list[str], password: str, specs: list[TabSpec]) -> None:
    """The generator stands in for browsers on other machines: the less CPU it takes per message, the less of
    its own delay the latencies hold. So its loop is uvloop's and its socket waits are the server's (see
    patches/socket_wait.py), as are its JSON decoder (live_tab.py)."""
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    from engineio import async_client

    from patches import socket_wait

    socket_wait.install(async_client)
    uvloop.run(_Worker(conn, base_urls, password, specs).run())


class _Worker:
    def __init__(self, conn: Connection, base_urls: list[str], password: str, specs: list[TabSpec]) -> None:
        self.conn = conn
        self.base_urls = base_urls
        self.password = password
        self.specs = specs
        self.arrivals: list[Arrival] = []
        self.sends: list[tuple[str, int, float]] = []  # (text, tab, time of the click)
        self.errors: list[str] = []
        self.tabs: dict[int, SimTab] = {}
        self.sessions: list[aiohttp.ClientSession] = []
        self.pending: set[asyncio.Task[None]] = set()

    def _session(self, *, visitor: bool) -> aiohttp.ClientSession:
        jar = aiohttp.DummyCookieJar() if visitor else aiohttp.CookieJar(unsafe=True)  # unsafe: cookies for an IP
        session = aiohttp.ClientSession(cookie_jar=jar, connector=aiohttp.TCPConnector(limit=0),
                                        timeout=aiohttp.ClientTimeout(total=60))
        self.sessions.append(session)
        return session

    async def run(self) -> None:
        try:
            await self._open_all()
            self.conn.send(('ready', sum(tab.connected for tab in self.tabs.values()), self.errors[:5]))
            await self._serve()
        finally:
            for tab in self.tabs.values():
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(tab.close(), 2)
            for session in self.sessions:
                await session.close()

    async def _open_all(self) -> None:
        by_user: dict[str | None, list[TabSpec]] = defaultdict(list)
        for spec in self.specs:
            by_user[spec.username].append(spec)
        logins, opens = asyncio.Semaphore(LOGIN_CONCURRENCY), asyncio.Semaphore(OPEN_CONCURRENCY)
        visitor_session: aiohttp.ClientSession | None = None
        jobs = []
        for username, specs in by_user.items():
            if username is None:
                for number, spec in enumerate(specs):
                    if number % VISITORS_PER_SESSION == 0:
                        visitor_session = self._session(visitor=True)
                    assert visitor_session is not None
                    jobs.append(self._open_tabs(visitor_session, [spec], opens, browser_address(spec.tab_id)))
            else:
                jobs.append(self._user_tabs(username, specs, logins, opens))
        await asyncio.gather(*jobs)

    async def _user_tabs(self, username: str, specs: list[TabSpec], logins: asyncio.Semaphore,
                         opens: asyncio.Semaphore) -> None:
        """The user's first tab signs in and then shows its page; the others open as new tabs of that browser."""
        session = self._session(visitor=False)
        first = specs[0]
        address = browser_address(first.tab_id)
        async with logins:
            try:
                self._opened(await sign_in(self.base_urls[first.server], session, username, self.password,
                                           first.path, first.tab_id, self.arrivals.append, keep_elements=first.acts,
                                           address=address))
                specs = specs[1:]
            except Exception as error:  # reported, and the tabs open signed out (then they count as lost)
                self.errors.append(f'sign-in {username}: {error!r}')
        await self._open_tabs(session, specs, opens, address)

    async def _open_tabs(self, session: aiohttp.ClientSession, specs: list[TabSpec], opens: asyncio.Semaphore,
                         address: str) -> None:
        for spec in specs:
            tab = SimTab(spec.tab_id, self.base_urls[spec.server], spec.path, session, self.arrivals.append,
                         keep_elements=spec.acts, address=address)
            async with opens:
                try:
                    await tab.open()
                    self._opened(tab)
                except Exception as error:
                    self.errors.append(f'open tab {spec.tab_id} {spec.path}: {error!r}')

    def _opened(self, tab: SimTab) -> None:
        self.tabs[tab.tab_id] = tab
        self._spawn(self._acks(tab))

    async def _acks(self, tab: SimTab) -> None:
        """As the page's script does: setInterval(ack, 3000) from the moment its page loaded. Acking all of a
        worker's tabs at once instead sent the server bursts of a thousand acks that no browsers send together,
        and a round of updates that met one took up to a tenth of a second longer (scenario 3)."""
        while True:
            await asyncio.sleep(ACK_EVERY)
            with contextlib.suppress(Exception):
                await tab.ack()

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            command = await loop.run_in_executor(None, self.conn.recv)
            if command[0] == 'results':
                await asyncio.sleep(0)
                for task in list(self.pending):
                    task.cancel()
                connected = sum(tab.connected for tab in self.tabs.values())
                self.errors += [line for tab in self.tabs.values() for line in tab.disconnects]
                self.conn.send(('results', self.arrivals, self.sends, cpu_seconds(), connected, self.errors[-10:]))
                return
            if command[0] == 'cpu':
                self.conn.send(('cpu', cpu_seconds()))
            elif command[0] == 'send':
                self._spawn(self._send(command[1], command[2]))
            elif command[0] == 'reply':  # an agent's answer on the desk
                self._spawn(self._send(command[1], command[2], 'Reply'))
            elif command[0] == 'create':
                self._spawn(self._create(command[1], command[2]))
            elif command[0] == 'choose':
                self._spawn(self._choose(*command[1:]))
            elif command[0] == 'schedule':
                self._spawn(self._schedule(command[1]))

    def _spawn(self, work: object) -> None:
        task = asyncio.ensure_future(work)  # type: ignore[arg-type]
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)

    async def _send(self, tab_id: int, text: str, button: str = 'Send') -> None:
        try:
            self.sends.append((text, tab_id, await self.tabs[tab_id].send_message(text, button)))
        except Exception as error:
            self.errors.append(f'send from {tab_id}: {error!r}')

    async def _create(self, tab_id: int, title: str) -> None:
        try:
            self.sends.append((title, tab_id, await self.tabs[tab_id].create_request(title)))
        except Exception as error:
            self.errors.append(f'create on {tab_id}: {error!r}')

    async def _choose(self, tab_id: int, label: str, option: str, token: str) -> None:
        try:
            self.sends.append((token, tab_id, await self.tabs[tab_id].choose(label, option)))
        except Exception as error:
            self.errors.append(f'choose on {tab_id}: {error!r}')

    async def _schedule(self, plan: list[tuple[float, int, str]]) -> None:
        start = time.monotonic()
        for delay, tab_id, text in plan:  # sorted by delay; bounded by the plan's length
            wait = start + delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._spawn(self._send(tab_id, text))
