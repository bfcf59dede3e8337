"""The local demo for the screenshot scripts (docs/screenshots.py, docs/widget_screenshots.py): main.py on a free
port with a fresh SQLite data directory, ready once its demo users exist, stopped, and its log read for errors; and
the steps that name what failed."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = '127.0.0.1'
PASSWORD = 'password'  # both demo users'
START_TIMEOUT = 90.0  # s: migrations and the demo seed on a busy machine
# Variables that would make main.py start something other than the SQLite demo in its fresh data directory.
CLEARED = ('DATABASE_URL', 'DEMO', 'SECRET_KEY', 'DEFAULT_LANGUAGE', 'NICEGUI_USER_SIMULATION',
           'NICEGUI_SCREEN_TEST_PORT', 'PYTEST_CURRENT_TEST')


class Failed(Exception):
    """A step of the tour did not work out; the message says which."""


@contextmanager
def step(name: str) -> Iterator[None]:
    print(f'- {name}', flush=True)
    try:
        yield
    except Failed:
        raise
    except Exception as error:  # Playwright's timeouts, a dead server: named by the step they broke
        lines = [line.strip() for line in str(error).splitlines() if line.strip()] or [type(error).__name__]
        waited = [line for line in lines if line.startswith('- waiting for')][:1]  # which element it looked for
        raise Failed(' '.join([f'{name}: {lines[0]}', *waited])) from error


def http(url: str, body: dict[str, str] | None = None) -> int:
    """The status `url` answers with (a JSON POST when `body` is given); 0 when nothing answers."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={'Content-Type': 'application/json'})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    try:
        with opener.open(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, OSError):
        return 0


def start_server(data_dir: Path, log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:  # a free port, which the server takes next
        sock.bind((HOST, 0))
        port = int(sock.getsockname()[1])
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update({'DATA_DIR': str(data_dir), 'HOST': HOST, 'PORT': str(port), 'DATABASE_URL': '',  # '' beats a .env
                'NICEGUI_STORAGE_PATH': str(data_dir / 'nicegui'), 'PYTHONUNBUFFERED': '1'})
    with log_path.open('wb') as log:
        process = subprocess.Popen([sys.executable, 'main.py'], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return process, f'http://{HOST}:{port}'


def wait_until_ready(process: subprocess.Popen[bytes], base_url: str) -> None:
    """/readyz answers 200, then both demo users get a token (the seed registers `user` after `admin`)."""
    deadline = time.monotonic() + START_TIMEOUT

    def waiting(what: str, pause: float) -> None:
        if process.poll() is not None:
            raise Failed(f'the server exited with {process.returncode} while {what}')
        if time.monotonic() > deadline:
            raise Failed(f'the server was still {what} after {START_TIMEOUT:.0f} s')
        time.sleep(pause)

    while http(f'{base_url}/readyz') != 200:
        waiting('starting (/readyz did not answer 200)', 0.25)
    for username in ('user', 'admin'):
        # Sign-ins through the API are limited to 10 a minute per address: ask every 2 s at most.
        while (status := http(f'{base_url}/api/v1/auth/token', {'username': username, 'password': PASSWORD})) != 200:
            waiting(f'seeding the demo users ({username} got {status})', 6.0 if status == 429 else 2.0)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def server_errors(log_text: str) -> bool:
    """Whether the app logged an error besides Starlette's for a request the browser dropped (tests/e2e/steps.py)."""
    dropped = log_text.count('RuntimeError: No response returned.')
    errors = len(re.findall(r'^\S+ \S+ (?:ERROR|CRITICAL) ', log_text, re.MULTILINE))
    return max(errors, log_text.count('Traceback (most recent call last)')) > dropped
