"""Time to first page of the demo: `main.py` started on a fresh SQLite demo until it serves GET /requests.

bench_first_page: from process start until the HTML page answers 200. bench_first_list_in_browser (--browser):
from process start until headless Chromium shows the rendered list, whose rows arrive over the websocket.
Each run starts its own server on a free port of 127.0.0.1, in a temporary DATA_DIR, and stops only that process.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_FIRST_PAGE_S = 3.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


CHROMIUM = Path('/usr/bin/chromium')
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
                 '--disable-sync', '--no-first-run', '--no-proxy-server']
# Inherited variables that would change how main.py starts (see tests/e2e/conftest.py); BCRYPT_ROUNDS is dropped
# so the real hashing cost of the demo users applies.
UNWANTED_ENV = ('BCRYPT_ROUNDS', 'DATABASE_URL', 'DATA_DIR', 'SECRET_KEY', 'PORT', 'HOST', 'DEMO', 'DEFAULT_LANGUAGE',
                'NICEGUI_USER_SIMULATION', 'NICEGUI_SCREEN_TEST_PORT', 'NICEGUI_STORAGE_PATH')
LIST_READY = re.compile(r'^\d+\+? requests$')  # the summary, set once the first page's rows are in


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=0.5):
            return True
    except OSError:
        return False


class DemoServer:
    """`python main.py --port <free>` on a fresh DATA_DIR and SQLite file; stopped (only this process) on exit."""

    def __init__(self) -> None:
        self.temp_dir = Path(tempfile.mkdtemp(prefix='bench_demo_'))
        self.port = free_port()
        self.url = f'http://127.0.0.1:{self.port}/requests'
        self.log_path = self.temp_dir / 'server.log'
        self.process: subprocess.Popen[bytes] | None = None
        self.started = 0.0

    def __enter__(self) -> DemoServer:
        env = {key: value for key, value in os.environ.items()
               if key not in UNWANTED_ENV and not key.startswith('PYTEST_')}
        env.update(DATA_DIR=str(self.temp_dir / 'data'),
                   DATABASE_URL=f'sqlite+aiosqlite:///{self.temp_dir}/demo.db', HOST='127.0.0.1',
                   NICEGUI_STORAGE_PATH=str(self.temp_dir / 'nicegui'))  # keep the project's .nicegui/ untouched
        with self.log_path.open('wb') as log:
            self.started = time.perf_counter()
            self.process = subprocess.Popen([sys.executable, 'main.py', '--port', str(self.port)], cwd=ROOT,
                                            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return self

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def check_alive(self, timeout: float) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f'main.py exited with {self.process.returncode}:\n{self.log()}')
        if self.elapsed() > timeout:
            raise RuntimeError(f'no page after {timeout:.0f} s:\n{self.log()}')

    def log(self) -> str:
        return self.log_path.read_text(errors='replace')[-3000:]

    def __exit__(self, *_exc: object) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.temp_dir, ignore_errors=True)


def first_page_once(timeout: float = 60.0) -> tuple[float, str]:
    """Seconds from process start to GET /requests answering 200 with the NiceGUI page."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    with DemoServer() as server:
        while True:
            server.check_alive(timeout)
            try:
                with opener.open(server.url, timeout=10) as response:
                    body = response.read().decode('utf-8', 'replace')
                    if response.status == 200 and '/_nicegui/' in body and '<title>Switchboard</title>' in body:
                        elapsed = server.elapsed()
                        return elapsed, f'200, {len(body):,} bytes'
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.02)


async def first_list_in_browser_once(browser: Any, limit: float = 60.0) -> tuple[float, str]:
    """Seconds from process start until headless Chromium shows the list's summary ('N requests')."""
    with DemoServer() as server:
        context = await browser.new_context(locale='en-US')
        try:
            page = await context.new_page()
            # Wait for the port to accept connections, then navigate once: failed navigations in Chromium are
            # slow to retry and would add seconds that belong to the browser, not to the server.
            while not port_open(server.port):
                server.check_alive(limit)
                await asyncio.sleep(0.01)
            response = await page.goto(server.url, timeout=limit * 1000)
            if response is None or response.status != 200:
                raise RuntimeError(f'GET /requests answered {response.status if response else None}')
            loaded = server.elapsed()  # the HTML and its scripts ('load' event)
            summary = page.get_by_text(LIST_READY)
            await summary.first.wait_for(state='visible', timeout=limit * 1000)
            elapsed = server.elapsed()
            text = (await summary.first.inner_text()).strip()
            return elapsed, f'page loaded at {loaded:.2f} s, then shows "{text}"'
        finally:
            await context.close()


def bench_first_page(runs: int) -> list[float]:
    print(f'\nTime from process start to the first GET /requests answered 200 with the NiceGUI page '
          f'(SQLite demo, fresh DATA_DIR, real bcrypt cost), {runs} runs:')
    times = []
    for run in range(1, runs + 1):
        elapsed, what = first_page_once()
        times.append(elapsed)
        print(f'    run {run}: {elapsed:.2f} s  ({what})')
    median = statistics.median(times)
    print(f'    median: {median:.2f} s  (target < {TARGET_FIRST_PAGE_S:.0f} s: '
          f'{"ok" if median < TARGET_FIRST_PAGE_S else "MISS"})')
    return times


async def bench_first_list_in_browser(runs: int) -> list[float]:
    from playwright.async_api import async_playwright

    print(f'\nTime from process start until headless Chromium shows the rendered list (its "N requests" summary; '
          f'the rows arrive over the websocket after the HTML), {runs} runs:')
    times = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for run in range(1, runs + 1):
                elapsed, what = await first_list_in_browser_once(browser)
                times.append(elapsed)
                print(f'    run {run}: {elapsed:.2f} s  ({what})')
        finally:
            await browser.close()
    median = statistics.median(times)
    print(f'    median: {median:.2f} s  (target < {TARGET_FIRST_PAGE_S:.0f} s: '
          f'{"ok" if median < TARGET_FIRST_PAGE_S else "MISS"})')
    return times
