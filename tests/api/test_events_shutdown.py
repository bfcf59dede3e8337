"""A server with event streams open still stops on SIGTERM: uvicorn waits for open responses, and a stream never
ends by itself, so main.py bounds that wait (timeout_graceful_shutdown)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp

from tests.api.events_client import SseReader, eventually
from tests.e2e.conftest import HOST, PROJECT_ROOT, UNWANTED_ENV
from tests.ports import free_port

STOPPED_WITHIN = 30.0  # generous bound on a loaded machine: without the bound the server never stops


def _post_json(url: str, body: dict[str, str]) -> dict[str, object] | None:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={'Content-Type': 'application/json'})
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=5) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, ConnectionError, OSError):
        return None


def test_sigterm_stops_a_server_with_an_open_stream(tmp_path: Path) -> None:
    port = free_port(HOST)
    env = {key: value for key, value in os.environ.items() if key not in UNWANTED_ENV and not key.startswith('PYTEST_')}
    env.update({'DATA_DIR': str(tmp_path / 'data'), 'DATABASE_URL': f'sqlite+aiosqlite:///{tmp_path / "app.db"}',
                'BCRYPT_ROUNDS': '4', 'SECRET_KEY': 'test secret', 'HOST': HOST,
                'NICEGUI_STORAGE_PATH': str(tmp_path / 'nicegui-storage')})
    base = f'http://{HOST}:{port}'
    with (tmp_path / 'server.log').open('wb') as log:
        process = subprocess.Popen([sys.executable, 'main.py', '--port', str(port)], cwd=PROJECT_ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        token = None
        deadline = time.monotonic() + 30
        while token is None:  # the SQLite demo's admin, once the app is up and has seeded
            assert process.poll() is None and time.monotonic() < deadline, (tmp_path / 'server.log').read_text()
            answer = _post_json(f'{base}/api/v1/auth/token', {'username': 'admin', 'password': 'password'})
            token = answer.get('access_token') if answer else None
            time.sleep(0.2)
        asyncio.run(_stop_while_streaming(process, base, str(token)))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def _stop_while_streaming(process: subprocess.Popen[bytes], base: str, token: str) -> None:
    async with aiohttp.ClientSession() as http:
        stream = await SseReader.open(http, f'{base}/api/v1/events', headers={'Authorization': f'Bearer {token}'})
        process.send_signal(signal.SIGTERM)
        stopped = await asyncio.to_thread(_waited, process, STOPPED_WITHIN)
        assert stopped, 'the server kept waiting for the open event stream'
        await eventually(lambda: stream.ended)
        await stream.close()


def _waited(process: subprocess.Popen[bytes], seconds: float) -> bool:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return False
    return True
