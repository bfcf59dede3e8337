"""End-to-end fixtures: the real app in a subprocess on 127.0.0.1, and headless Debian Chromium through Playwright.

Fixture names are prefixed with `e2e_` so they never shadow tests/conftest.py (`user`, `create_user`, `desk`,
`database_url`, `app_env`) or the NiceGUI user plugin.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.ports import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path('/usr/bin/chromium')
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
                 '--disable-sync', '--no-first-run']
HOST = '127.0.0.1'
START_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0
# Inherited variables that would change how main.py starts: PYTEST_CURRENT_TEST makes NiceGUI's ui.run think it
# is a screen test (it then ignores --port), NICEGUI_USER_SIMULATION makes main.py ignore argv, and the rest would
# change the port, the language or the demo switch.
UNWANTED_ENV = ('NICEGUI_USER_SIMULATION', 'NICEGUI_SCREEN_TEST_PORT', 'DEFAULT_LANGUAGE', 'PORT', 'DEMO')

NewPage = Callable[[], Awaitable[object]]


def _answers_200(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    try:
        with opener.open(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextmanager
def app_server(workdir: Path, *, database_url: str | None = None, args: tuple[str, ...] = (),
               env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Run `python main.py --port <free>` with its data in `workdir`; yield its base URL; stop it afterwards.

    The base URL comes once a page answers 200; `env` overrides the settings made here (BCRYPT_ROUNDS, ...).

    Like the `user` fixture in tests/conftest.py, an error the app logged fails the test, with the log shown.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port(HOST)
    base_url = f'http://{HOST}:{port}'
    overrides = env or {}
    env = {key: value for key, value in os.environ.items()
           if key not in UNWANTED_ENV and not key.startswith('PYTEST_')}
    env.update({
        'DATA_DIR': str(workdir / 'data'),
        'DATABASE_URL': database_url or f'sqlite+aiosqlite:///{workdir / "e2e.db"}',
        'BCRYPT_ROUNDS': '4',
        'SECRET_KEY': 'e2e-secret',
        'HOST': HOST,
        'NICEGUI_STORAGE_PATH': str(workdir / 'nicegui-storage'),  # keep the project's .nicegui/ untouched
        'PYTHONUNBUFFERED': '1',
    })
    env.update(overrides)
    log_path = workdir / 'server.log'
    with log_path.open('wb') as log:
        process = subprocess.Popen([sys.executable, 'main.py', '--port', str(port), *args], cwd=PROJECT_ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers_200(f'{base_url}/requests'):
            if process.poll() is not None:
                pytest.fail(f'the server exited with {process.returncode}:\n{log_path.read_text()}', pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f'the server did not answer within {START_TIMEOUT:.0f} s:\n{log_path.read_text()}',
                            pytrace=False)
            time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    log_text = log_path.read_text(errors='replace')
    # A browser that drops a request mid-load makes Starlette's middleware log "No response returned" with a
    # traceback (a known Starlette issue, not ours); any other error fails the test.
    dropped = log_text.count('RuntimeError: No response returned.')
    tracebacks = log_text.count('Traceback (most recent call last)')
    errors = len(re.findall(r'^ERROR', log_text, re.MULTILINE))
    if tracebacks > dropped or errors > dropped:
        pytest.fail(f'the server logged an error:\n{log_text}', pytrace=False)


@pytest.fixture
def e2e_server(tmp_path: Path) -> Iterator[str]:
    """The app on a fresh SQLite file, with the demo users."""
    with app_server(tmp_path) as base_url:
        yield base_url


@pytest.fixture
def e2e_chromium() -> Path:
    """The Debian Chromium binary; the test skips when it is missing (no `playwright install` here, ever)."""
    if not CHROMIUM.exists():
        pytest.skip(f'{CHROMIUM} is missing; the end-to-end tests need the Debian chromium package')
    return CHROMIUM


@pytest.fixture
async def e2e_browser(e2e_chromium: Path) -> AsyncIterator[object]:
    """Headless Debian Chromium, launched through Playwright's async API."""
    async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')

    async with async_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(e2e_chromium), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def e2e_new_page(e2e_browser, e2e_server: str) -> AsyncIterator[NewPage]:
    """Open a page in a new browser context (another person: own cookies, own storage) on the test server."""
    contexts = []

    async def new_page():
        context = await e2e_browser.new_context(base_url=e2e_server, locale='en-US',
                                                viewport={'width': 1280, 'height': 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return await context.new_page()

    yield new_page
    for context in contexts:
        await context.close()
