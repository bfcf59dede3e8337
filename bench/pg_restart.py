"""How long pages stay dark when PostgreSQL restarts: time from the server being back to a new message showing.

Not a test: it restarts this machine's PostgreSQL cluster (pg_ctlcluster), so run it only where that is fine:

    .venv/bin/python bench/pg_restart.py [--runs 3]

It starts `main.py --demo` on a scratch PostgreSQL database, opens request 1 as its author in headless Chromium,
restarts PostgreSQL, and as soon as `pg_isready` answers posts a response through the domain services of this
process (another "instance" on the same database). It prints how long the page took to show it. Target: < 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / 'bench')]

from seed_board import scratch_database  # noqa: E402
from startup_time import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from tests.e2e.conftest import app_server  # noqa: E402

TARGET_S = 5.0


def cluster() -> str:
    return sorted(p.name for p in Path('/etc/postgresql').iterdir())[-1]


def restart_postgres() -> float:
    """Restart the cluster; returns the moment (monotonic) it accepts connections again."""
    subprocess.run(['pg_ctlcluster', '--skip-systemctl-redirect', cluster(), 'main', 'restart'], check=True,
                   capture_output=True)
    while subprocess.run(['pg_isready', '-h', '127.0.0.1', '-q'], check=False).returncode != 0:
        time.sleep(0.02)
    return time.monotonic()


async def post_when_possible(desk, actor_id: int, text: str) -> None:
    for _ in range(200):  # the first statements may meet connections the restart killed
        try:
            await desk.conversations.post(actor_id=actor_id, request_id=1, text=text)
            return
        except Exception:
            await asyncio.sleep(0.05)
    raise RuntimeError('could not post after the restart')


async def measure(url: str, base: str, runs: int) -> list[float]:
    from playwright.async_api import async_playwright, expect

    from domain.desk import Desk
    from storage.database import Database

    desk = Desk.build(Database(url), secret_key='x', bcrypt_rounds=4, shared_events=True)
    desk.start()
    await desk.database.ready()
    responder, _token = await desk.accounts.sign_in(username='user', password='password')
    times = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await (await browser.new_context(locale='en-US')).new_page()
        await page.goto(f'{base}/login?redirect_to=/requests/1')
        await page.get_by_label('Username').fill('admin')
        await page.get_by_label('Password').fill('password')
        await page.get_by_role('button', name='Sign in').click()
        await expect(page.get_by_text('Responses (')).to_be_visible(timeout=15_000)
        for run in range(runs):
            back = await asyncio.to_thread(restart_postgres)
            text = f'after restart {run}'
            await post_when_possible(desk, responder.id, text)
            posted = time.monotonic()
            await expect(page.get_by_text(text)).to_be_visible(timeout=30_000)
            shown = time.monotonic()
            times.append(shown - back)
            print(f'  run {run + 1}: posted {posted - back:.2f} s after PostgreSQL was back, '
                  f'on the page {shown - back:.2f} s after it was back')
        await browser.close()
    await desk.stop()
    return times


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--runs', type=int, default=3)
    args = parser.parse_args()
    async with scratch_database('postgresql', prefix='bench_restart') as (url, _dsn):
        with app_server(Path(tempfile.mkdtemp(prefix='bench_restart_')), database_url=url, args=('--demo',)) as base:
            times = await measure(url, base, args.runs)
    verdict = 'ok' if max(times) < TARGET_S else 'MISS'
    print(f'PostgreSQL restart -> page live again: median {statistics.median(times):.2f} s, '
          f'max {max(times):.2f} s (target < {TARGET_S:.0f} s: {verdict})')


if __name__ == '__main__':
    asyncio.run(main())
