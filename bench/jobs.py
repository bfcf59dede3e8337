"""Notification jobs drained by one and by two app processes on PostgreSQL, against local stand-in servers.

    .venv/bin/python bench/jobs.py [--jobs 100000] [--processes 1,2] [--slack-every 10] [--postgres URL]

On a new PostgreSQL database (dropped afterwards), per round: queue `--jobs` jobs with storage/jobs.py, every
`--slack-every`-th a 'slack.post' and the others an 'email.send', not yet due. Then start that many worker
processes (each a Desk's worker with the email and Slack handlers main.py installs, pointed at the stand-ins),
make every job due at one moment, and wait until all are finished. The stand-ins (an aiosmtpd server and the
Slack fake of tests/fakes/slack.py, in a process of their own) count what arrives by Message-ID and by text,
which gives the duplicates and the losses. Prints jobs/s (jobs / time from the due moment to the last finish),
the delay from due to done (p50, p95, max: with everything due at once, mostly the wait in the backlog), and the
CPU of the workers, the stand-ins, PostgreSQL and the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_load import machine_busy, percentile, postgres_cpu
from jobs_processes import standins_main, worker_main
from live_server import TICKS, free_port, fresh_postgres
from sqlalchemy import func, select, text

from channels.email import message_id
from storage.database import Database
from storage.jobs import NewJob
from storage.model_automation import Job
from storage.models import utcnow
from storage.unit_of_work import UnitOfWork
from tests.fakes.slack import HOOK_PATH

DEFAULT_POSTGRES = 'postgresql://postgres@127.0.0.1:5432/postgres'
SENDER = 'Switchboard <desk@bench.test>'
TARGET = '>= 500 jobs/s, 0 duplicates, 0 lost'
BODY = ('Hello, customer!\n\nagent changed the status of request #{n} "Printer on floor 3" from Open to In '
        'progress.\nOpen it: https://desk.example.com/requests/{n}\n\n-- \nYou get this email because you chose '
        'it in your Switchboard profile; you can turn it off there.\n')


@dataclass
class Round:
    processes: int
    jobs: int
    seconds: float  # from the due moment to the last finish
    delays: list[float]  # due -> done, sorted
    failed: int
    duplicates: int
    lost: int
    unexpected: int
    cpu: dict[str, float]


async def prepare(url: str, label: str, count: int, slack_every: int) -> tuple[set[str], set[str]]:
    """An empty jobs table, then `count` jobs due tomorrow; returns the Message-IDs and Slack texts they make."""
    database = Database(url)
    database.start()
    await database.ready()
    mails, posts = set(), set()
    try:
        async with database.engine.begin() as connection:  # type: ignore[union-attr]
            await connection.execute(text('TRUNCATE jobs RESTART IDENTITY'))
        later = utcnow() + timedelta(days=1)
        for start in range(0, count, 2000):
            batch = []
            for n in range(start, min(count, start + 2000)):
                if slack_every and n % slack_every == slack_every - 1:
                    posts.add(f'bench {label} job {n}: the status of request #{n} changed')
                    batch.append(NewJob('slack.post', {'text': f'bench {label} job {n}: the status of request #{n} '
                                                               'changed'}, later, f'slack:{label}:{n}'))
                else:
                    key = f'email:{label}:{n}'
                    mails.add(message_id(key, SENDER))
                    batch.append(NewJob('email.send', {'to': f'user{n % 1000}@bench.test', 'subject':
                                                       f'Request #{n} "Printer on floor 3" is now In progress',
                                                       'body': BODY.format(n=n)}, later, key))
            async with UnitOfWork(database, lambda _event: None, write=True) as uow:
                await uow.jobs.add_many(batch)
                await uow.commit()
    finally:
        await database.stop()
    return mails, posts


async def release(url: str, at: datetime) -> None:
    """Every job due at `at` (one statement, so no worker sees a part of them early)."""
    database = Database(url)
    database.start()
    await database.ready()
    try:
        async with database.engine.begin() as connection:  # type: ignore[union-attr]
            await connection.execute(Job.__table__.update().values(due_at=at, next_attempt_at=at))
    finally:
        await database.stop()


async def wait_finished(url: str, count: int, give_up_after: float) -> int:
    """How many jobs are done or failed, once all `count` are or after `give_up_after` seconds."""
    database = Database(url)
    database.start()
    await database.ready()
    deadline = time.monotonic() + give_up_after
    try:
        while True:
            async with database.session() as session:
                done = await session.scalar(select(func.count()).where(Job.status.in_(('done', 'failed')))) or 0
            if done >= count or time.monotonic() > deadline:
                return done
            await asyncio.sleep(0.5)
    finally:
        await database.stop()


async def outcomes(url: str) -> list[tuple[str, datetime, datetime | None]]:
    database = Database(url)
    database.start()
    await database.ready()
    try:
        async with database.session() as session:
            return [tuple(row) for row in await session.execute(select(Job.status, Job.due_at, Job.finished_at))]
    finally:
        await database.stop()


def proc_cpu(pid: int) -> float:
    fields = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def run_round(url: str, processes: int, args: argparse.Namespace, standins: tuple[Connection, int],
              env: dict[str, str]) -> Round:
    label = f'p{processes}'
    mails, posts = asyncio.run(prepare(url, label, args.jobs, args.slack_every))
    spawn = multiprocessing.get_context('spawn')
    pipes, workers = [], []
    for _ in range(processes):
        ours, theirs = spawn.Pipe()
        worker = spawn.Process(target=worker_main, args=(theirs, env), daemon=True)
        worker.start()
        pipes.append(ours)
        workers.append(worker)
    for pipe in pipes:
        if not pipe.poll(60) or pipe.recv() != 'ready':
            raise RuntimeError('a worker process did not start')
    standin_conn, standin_pid = standins
    pids = {'workers': [worker.pid for worker in workers], 'stand-ins': [standin_pid]}
    before = {name: sum(proc_cpu(pid) for pid in group if pid) for name, group in pids.items()}
    before['postgres'], (before['busy'], before['all']) = postgres_cpu(), machine_busy()
    due = utcnow() + timedelta(seconds=1)
    asyncio.run(release(url, due))
    done = asyncio.run(wait_finished(url, args.jobs, args.timeout))
    after = {name: sum(proc_cpu(pid) for pid in group if pid) for name, group in pids.items()}
    after['postgres'], (after['busy'], after['all']) = postgres_cpu(), machine_busy()
    for pipe, worker in zip(pipes, workers, strict=True):
        pipe.send('stop')
        if pipe.poll(30):
            pipe.recv()
        worker.join(10)
    standin_conn.send('counts')
    counts = standin_conn.recv()
    standin_conn.send('reset')
    standin_conn.recv()
    rows = asyncio.run(outcomes(url))
    ends = [finished_at for _status, _due, finished_at in rows if finished_at is not None]
    seconds = (max(ends) - due).total_seconds() if done >= args.jobs and ends else float('nan')
    delays = sorted((finished_at - due_at).total_seconds() for status, due_at, finished_at in rows
                    if status == 'done' and finished_at is not None)
    arrived = {**counts['email'], **counts['slack']}
    expected = mails | posts
    cpu = {name: after[name] - before[name] for name in ('workers', 'stand-ins', 'postgres')}
    cpu['machine'] = (after['busy'] - before['busy']) / max(1e-9, after['all'] - before['all'])
    return Round(processes, args.jobs, seconds, delays, sum(status == 'failed' for status, _d, _f in rows),
                 duplicates=sum(count - 1 for key, count in arrived.items() if key in expected and count > 1),
                 lost=sum(1 for key in expected if key not in arrived),
                 unexpected=sum(count for key, count in arrived.items() if key not in expected), cpu=cpu)


def report(result: Round) -> str:
    rate = result.jobs / result.seconds if result.seconds == result.seconds else 0.0
    core = 100 / result.seconds if result.seconds == result.seconds else 0.0
    met = rate >= 500 and result.duplicates == 0 and result.lost == 0 and result.failed == 0
    return '\n'.join([
        f'== {result.processes} worker process{"es" if result.processes > 1 else ""}: {result.jobs:,} jobs ==',
        f'jobs/s      {rate:8,.0f}    ({result.seconds:.1f} s from the due moment to the last finish)',
        f'due -> done p50 {percentile(result.delays, .5):.2f} s, p95 {percentile(result.delays, .95):.2f} s, '
        f'max {result.delays[-1] if result.delays else float("nan"):.2f} s',
        f'duplicates  {result.duplicates}    lost {result.lost}    failed jobs {result.failed}    '
        f'unexpected arrivals {result.unexpected}',
        f'CPU         workers {result.cpu["workers"] * core:.0f} % of a core, stand-ins '
        f'{result.cpu["stand-ins"] * core:.0f} %, PostgreSQL {result.cpu["postgres"] * core:.0f} %, '
        f'machine {result.cpu["machine"] * 100:.0f} % busy',
        f'target: {TARGET} -> {"met" if met else "NOT met"}',
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--jobs', type=int, default=100_000, help='jobs per round (default 100,000)')
    parser.add_argument('--processes', default='1,2', help='worker processes per round, comma-separated (1,2)')
    parser.add_argument('--slack-every', type=int, default=10, help='every n-th job is a Slack post (default 10)')
    parser.add_argument('--timeout', type=float, default=1800.0, help='give a round up after this many seconds')
    parser.add_argument('--postgres', default=DEFAULT_POSTGRES, help='PostgreSQL server (a new database is made)')
    args = parser.parse_args()
    url, drop = fresh_postgres(args.postgres)
    smtp_port, slack_port = free_port(), free_port()
    spawn = multiprocessing.get_context('spawn')
    ours, theirs = spawn.Pipe()
    standins = spawn.Process(target=standins_main, args=(theirs, smtp_port, slack_port), daemon=True)
    standins.start()
    try:
        if not ours.poll(60) or ours.recv() != 'ready':
            raise RuntimeError('the stand-in servers did not start')
        env = {'DATABASE_URL': url, 'DATA_DIR': tempfile.mkdtemp(prefix='bench-jobs-'), 'SECRET_KEY': 'bench',
               'SMTP_HOST': '127.0.0.1', 'SMTP_PORT': str(smtp_port), 'SMTP_FROM': SENDER,
               'SLACK_WEBHOOK_URL': f'http://127.0.0.1:{slack_port}{HOOK_PATH}'}
        print(f'PostgreSQL: {url}\nstand-ins: SMTP 127.0.0.1:{smtp_port}, Slack 127.0.0.1:{slack_port}', flush=True)
        for processes in (int(part) for part in args.processes.split(',')):
            print(report(run_round(url, processes, args, (ours, standins.pid or 0), env)), flush=True)
    finally:
        ours.send('stop')
        standins.join(10)
        drop()


if __name__ == '__main__':
    main()
