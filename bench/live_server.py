"""The app under load: seeded through its own domain services, started as `python main.py`, measured via /proc.

Only 127.0.0.1. The seed runs against the same database before the server starts (the app's migrations create
the schema); users sign in later over the app's own login page (see live_tab.login).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HOST = '127.0.0.1'
PASSWORD = 'load-password-1'
UNWANTED_ENV = ('NICEGUI_USER_SIMULATION', 'NICEGUI_SCREEN_TEST_PORT', 'DEFAULT_LANGUAGE', 'PORT', 'DEMO')
TICKS = os.sysconf('SC_CLK_TCK')


@dataclass
class Seed:
    """Who exists and what they look at; filled by `seed`."""

    users: dict[str, int] = field(default_factory=dict)  # username -> id
    request_id: int = 0  # the hot request (scenario 1) / the one whose status changes (scenario 3)
    request_author: str = ''
    widget_key: str = ''  # the chat widget's public key (scenario 8)
    visitors: list[tuple[str, int]] = field(default_factory=list)  # widget visitors: (token, their open ticket)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


async def seed(database_url: str, *, customers: list[str], agents: list[str], author: str,
               responders: list[str], support_openers: list[str], board_requests: int = 20,
               support_messages: int = 1, widget_visitors: int = 0) -> Seed:
    """Create users, board requests and one open support ticket per `support_openers` customer, holding
    `support_messages` messages, every other one an agent's answer; with `widget_visitors`, a chat widget on the
    Support queue and that many visitors who each wrote once through it (each from their own address)."""
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    from domain.desk import Desk
    from storage.database import Database

    desk = Desk.build(Database(database_url), secret_key='load-secret', bcrypt_rounds=4)
    desk.start()
    await desk.ready()
    result = Seed(request_author=author)
    try:
        for name, role in [(author, 'customer'), *((n, 'customer') for n in responders + customers),
                           *((n, 'agent') for n in agents)]:
            if name in result.users:
                continue
            user = await desk.accounts.register(username=name, password=PASSWORD, repeat=PASSWORD, role=role)
            result.users[name] = user.id
        author_id = result.users[author]
        for number in range(board_requests):
            request_id = await desk.requests.create(actor_id=author_id, title=f'Board request {number}',
                                                    description='seeded by bench/live_load.py')
        result.request_id = request_id  # the newest: first row of the board
        answering = result.users[agents[0]] if agents else None
        for name in support_openers:
            await desk.support.write(actor_id=result.users[name], text=f'Hello from {name}')
            ticket_id = (await desk.support.chat(viewer_id=result.users[name])).open_ticket_id
            for number in range(1, support_messages):
                if number % 2 and answering is not None and ticket_id is not None:
                    await desk.tickets.reply(actor_id=answering, request_id=ticket_id,
                                             text=f'Answer {number} to {name}: we are looking into it.')
                else:
                    await desk.support.write(actor_id=result.users[name], text=f'Message {number} from {name}')
        if widget_visitors:
            await _widget(desk, result, widget_visitors)
    finally:
        await desk.stop()
    return result


async def _widget(desk: Any, result: Seed, visitors: int) -> None:
    from domain.widgets.checks import WidgetDraft
    from domain.widgets.visitors import Context

    admin = await desk.accounts.register(username='admin0', password=PASSWORD, repeat=PASSWORD, role='admin')
    queue = next(q for q in await desk.queues.list_queues(actor_id=admin.id) if q.name == 'Support')
    widget, _ = await desk.widgets.create(actor_id=admin.id, draft=WidgetDraft(
        name='Load chat', queue_id=queue.id, origins=('https://shop.example',), greeting='Hello! Ask us anything.'))
    result.widget_key = widget.public_key
    for number in range(visitors):
        context = Context(page_url='https://shop.example/cart', language='en', address=f'10.200.{number >> 8}.'
                          f'{number & 255}')
        sent = await desk.widget_chat.write(widget, token=None, text=f'Hello from visitor {number}', context=context)
        chat = await desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)
        assert chat.open_ticket_id is not None
        result.visitors.append((sent.token, chat.open_ticket_id))


def _answers(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


class Server:
    """`python main.py --port <free>` with its data in `workdir`."""

    def __init__(self, workdir: Path, database_url: str) -> None:
        self.workdir = workdir
        self.database_url = database_url
        self.port = free_port()
        self.base_url = f'http://{HOST}:{self.port}'
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = workdir / 'server.log'

    def start(self, timeout: float = 30.0) -> None:
        env = {k: v for k, v in os.environ.items() if k not in UNWANTED_ENV and not k.startswith('PYTEST_')}
        env.update({'DATA_DIR': str(self.workdir / 'data'), 'DATABASE_URL': self.database_url,
                    'BCRYPT_ROUNDS': '4', 'SECRET_KEY': 'load-secret', 'HOST': HOST,
                    'NICEGUI_STORAGE_PATH': str(self.workdir / 'nicegui-storage'), 'PYTHONUNBUFFERED': '1',
                    # The generator stands in for a proxy: it names each browser's own address (live_tab.py).
                    'TRUSTED_PROXIES': HOST})
        with self.log_path.open('wb') as log:
            self.process = subprocess.Popen([sys.executable, 'main.py', '--port', str(self.port)], cwd=PROJECT_ROOT,
                                            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not _answers(f'{self.base_url}/requests'):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f'the server did not start:\n{self.log_path.read_text()[-3000:]}')
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=8)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def rss_mb(self) -> float:
        for line in Path(f'/proc/{self.pid}/status').read_text().splitlines():
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self) -> float:
        fields = Path(f'/proc/{self.pid}/stat').read_text().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14, 15 of the whole line)

    def log_problems(self) -> list[str]:
        """Warnings, errors and tracebacks: the app's log lines start with their time (edges/logs.TEXT_FORMAT),
        NiceGUI's and Python's own output before logging is set up with the level or 'Traceback'."""
        text = self.log_path.read_text(errors='replace')
        return [line for line in text.splitlines()
                if line.startswith(('ERROR', 'Traceback', 'WARNING')) or ' WARNING ' in line[:40]
                or ' ERROR ' in line[:40]][:20]


async def _admin(dsn: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def fresh_postgres(server_url: str) -> tuple[str, Callable[[], None]]:
    """A new empty database on `server_url`'s server for one run, and a function that drops it."""
    name = f'live_load_{uuid.uuid4().hex[:10]}'
    dsn = server_url.replace('postgresql+asyncpg://', 'postgresql://')
    admin = dsn.rsplit('/', 1)[0] + '/postgres'
    asyncio.run(_admin(admin, f'CREATE DATABASE "{name}"'))
    url = 'postgresql+asyncpg://' + admin.split('://', 1)[1].rsplit('/', 1)[0] + f'/{name}'
    return url, lambda: asyncio.run(_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run_seed(database_url: str, **kwargs: object) -> Seed:
    return asyncio.run(seed(database_url, **kwargs))  # type: ignore[arg-type]
