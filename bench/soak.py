"""Soak: 300 tabs held open while 5 tabs a second open and close and messages flow; server RSS every minute.

    python bench/soak.py [--minutes 30] [--tabs 300] [--churn-slots 100] [--churn-rate 5] [--rate 2]
                         [--thread-cap 20] [--workers 2] [--postgres [URL]]

Starts `python main.py` (fresh SQLite in a temporary directory, or a new PostgreSQL database) under the app's own
garbage-collection policy (patches/gc_policy.py: freeze every second, sweep every 15 minutes), seeds people, and opens
the tabs from generator processes (bench/soak_worker.py) as browsers do: a person's first tab signs in on /login,
further tabs of that browser come in signed in. Of the tabs, `--tabs - --churn-slots` stay for the whole run:
board visitors, responders on a request's page (two tabs each), customers in the support chat (two tabs each),
agents on the inbox. The other `--churn-slots` are replaced at `--churn-rate` a second (open a new tab of the same
kind, then close the oldest: its websocket goes away and the server drops the client after its 10 s reconnect
timeout); one opening in ten is a new browser (a visitor's first visit, or a person signing in afresh). A tab
whose socket the server drops (e.g. during a long stall) reloads its page, as nicegui.js does. Messages
are typed and sent through the pages' UI events at `--rate` a second, alternately from a customer's support chat
and a responder's request page; each must reach the sender's two tabs within 5 s (later: late; after 30 s: lost).
A held pair's conversation takes `--thread-cap` messages; then a new person's two tabs replace the pair's, since
the pages show a whole conversation and held tabs showing ever longer threads would make the server's memory climb
with the bench's messages rather than with a leak.

Every minute: server RSS (/proc VmRSS), the NiceGUI clients the server keeps and their live sockets (/metrics),
tabs open, opened/closed, messages delivered/lost, open-to-connected p95, CPU. At the end: the RSS series, its
least-squares slope over the first and the second half, and the verdict: "levels off" when the mean of the last
three minutes exceeds the mean of the three minutes around half time by less than 5 % of the latter. Since the
policy's sweep frees memory that is reused for minutes afterwards, it also prints the climb before the first sweep.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from live_server import PASSWORD, Seed, Server, fresh_postgres, run_seed
from live_stats import Expect, evaluate, percentile
from live_worker import cpu_seconds
from soak_metrics import HEADER, Machine, Metrics, print_row, summary
from soak_tabs import AGENTS, CORE_CUSTOMERS, CUSTOMERS, RESPONDERS, Tabs, people_per_pair
from soak_worker import soak_worker_main

DEFAULT_POSTGRES = 'postgresql://postgres@127.0.0.1:5432/postgres'
TIMEOUT = 5.0  # a message later than this at a tab counts as late
LATE = 30.0  # and one later than this as lost


class Soak:
    def __init__(self, server: Server, seed: Seed, args: argparse.Namespace) -> None:
        self.server, self.seed, self.args = server, seed, args
        self.tabs = Tabs(f'/requests/{seed.request_id}', args)
        self.expects: list[Expect] = []
        self.made: dict[str, float] = {}  # when each message was asked for
        self.arrivals: list = []
        self.sends: dict[str, float] = {}
        self.rows: list[dict] = []
        self.rss_window: list[float] = []  # sampled every 5 s within the current minute
        self.next_rss, self.wall_start = 0.0, 0.0
        self.base: dict[str, int] = {}  # the generators' counts when the soak's clock starts

    def start_workers(self, deadline: float) -> tuple[list, list]:
        context = multiprocessing.get_context('spawn')
        pipes, processes = [], []
        for share in self.tabs.plan():
            parent, child = context.Pipe()
            process = context.Process(target=soak_worker_main, daemon=True,
                                      args=(child, self.server.base_url, PASSWORD, share, deadline))
            process.start()
            pipes.append(parent)
            processes.append(process)
        return pipes, processes

    def send(self, pipes: list, number: int) -> None:
        tabs = self.tabs.sender(pipes, number)
        if tabs is None:
            return
        acting, watching = tabs
        text = f'LT-{number}-{uuid.uuid4().hex[:8]}'
        pipes[self.tabs.owner[acting]].send(('send', acting, text))
        self.expects.append(Expect(text, float('inf'), {acting, watching}))
        self.made[text] = time.monotonic()

    def drain(self, pipes: list, command: str = 'drain') -> dict:
        total: dict = {'arrivals': [], 'open_ms': [], 'errors': [], 'cpu': 0.0}
        for pipe in pipes:
            pipe.send((command,))
        for pipe in pipes:
            if not pipe.poll(120):
                raise RuntimeError('a generator process did not answer')
            report = pipe.recv()[1]
            for name, value in report.items():
                if name == 'sends':
                    self.sends.update({text: at for text, _tab, at in value})
                elif isinstance(value, list):
                    total[name] += value
                else:
                    total[name] = total.get(name, 0) + value
        self.arrivals += total['arrivals']
        return total

    def settle_messages(self, now: float) -> tuple[int, int, int, int, float]:
        """Messages asked for over LATE s ago: (sent, deliveries within 5 s, later ones, lost, delivery p95 ms);
        one never sent counts as lost at both its tabs."""
        done, waiting, stale = [], [], []
        for expect in self.expects:
            expect.sent = self.sends.get(expect.key, float('inf'))
            if expect.sent + LATE < now:
                done.append(expect)
            elif expect.sent == float('inf') and self.made[expect.key] < now - 2 * LATE:
                stale.append(expect)
            else:
                waiting.append(expect)
        in_time, ever = evaluate(done, self.arrivals, TIMEOUT), evaluate(done, self.arrivals, LATE)
        keys = {expect.key for expect in done + stale}
        self.arrivals = [arrival for arrival in self.arrivals if arrival[0] not in keys]
        for key in keys:
            del self.made[key]
        self.expects = waiting
        delivered = len(in_time.latencies_ms)
        return (len(done) + len(stale), delivered, len(ever.latencies_ms) - delivered, ever.lost + 2 * len(stale),
                percentile(ever.latencies_ms, .95))

def run(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix='soak-'))  # kept: the server log stays for a look afterwards
    url, drop = f'sqlite+aiosqlite:///{workdir / "soak.db"}', None
    if args.postgres:
        url, drop = fresh_postgres(args.postgres)
    try:
        people = people_per_pair(args)
        customers = [f'cus{n:04d}' for n in range(CUSTOMERS + (people - 1) * CORE_CUSTOMERS)]
        seed = run_seed(url, customers=customers, agents=[f'agent{n:03d}' for n in range(AGENTS)],
                        author='author0', responders=[f'resp{n:03d}' for n in range(people * RESPONDERS)],
                        support_openers=customers, support_messages=6)
        server = Server(workdir / 'server', url)
        server.workdir.mkdir(parents=True)
        server.start()
        try:
            _soak(Soak(server, seed, args))
        finally:
            server.stop()
    finally:
        if drop is not None:
            drop()


def _soak(soak: Soak) -> None:
    args, server = soak.args, soak.server
    print(f'soak: {args.tabs} tabs ({args.tabs - args.churn_slots} held, {args.churn_slots} churned at '
          f'{args.churn_rate:g}/s), {args.rate:g} msg/s, {args.minutes} min; server pid {server.pid}, '
          f'log {server.log_path}; {os.cpu_count()} cores', flush=True)
    metrics, machine = Metrics(server.base_url), Machine()
    print(f'server RSS before any tab: {server.rss_mb():.0f} MB', flush=True)
    pipes, processes = soak.start_workers(time.monotonic() + args.minutes * 60 + 900)
    opened = sum(pipe.recv()[1] for pipe in pipes)
    print(f'{opened} tabs open after {time.monotonic() - machine.started:.0f} s', flush=True)
    print(HEADER, flush=True)
    start, soak.wall_start = time.monotonic(), time.time()
    end, next_report, churned, sent = start + args.minutes * 60, start + 60, 0, 0
    first = soak.drain(pipes)  # the opening of the first tabs is not counted in the first minute
    soak.base = {'opened': first['opened'], 'closed': first['closed'], 'failed': first['failed'],
                 'dropped': first['lost']}
    cpu_before = (server.cpu_seconds(), first['cpu'], cpu_seconds())
    machine.mark()
    metrics.mark()
    try:
        while (now := time.monotonic()) < end + 0.5:
            while churned < min(int((now - start) * args.churn_rate), int(args.minutes * 60 * args.churn_rate)):
                soak.tabs.churn(pipes)
                churned += 1
            while sent < min(int((now - start) * args.rate), int(args.minutes * 60 * args.rate)):
                soak.send(pipes, sent)
                sent += 1
            if now >= soak.next_rss:
                soak.rss_window.append(server.rss_mb())
                soak.next_rss = now + 5
            if now >= next_report:
                cpu_before = _report(soak, pipes, metrics, machine, (now - start) / 60, cpu_before)
                next_report += 60
            time.sleep(0.02)
        time.sleep(LATE)
        final = soak.drain(pipes, 'stop')
    finally:
        for process in processes:
            process.join(20)
            if process.is_alive():
                process.kill()
    _, delivered, late, lost, _ = soak.settle_messages(time.monotonic() + 3600)
    print(f'after the run: {delivered} more deliveries, {late} late, {lost} lost; generator problems: '
          f'{"; ".join(final["errors"][:3]) or "none"}')
    summary(soak.rows, server, soak.wall_start)


def _report(soak: Soak, pipes: list, metrics: Metrics, machine: Machine, minute: float,
            cpu_before: tuple[float, float, float]) -> tuple[float, float, float]:
    total = soak.drain(pipes)
    cpu_now = (soak.server.cpu_seconds(), total['cpu'], cpu_seconds())
    busy, wall = machine.mark()
    ours = sum(now - before for now, before in zip(cpu_now, cpu_before, strict=True))
    sent, delivered, late, lost, p95 = soak.settle_messages(time.monotonic())
    sample = metrics.mark()
    rss = soak.server.rss_mb()
    window, soak.rss_window = [*soak.rss_window, rss], []
    row = {'minute': minute, 'rss': rss, 'low': min(window), 'high': max(window), **sample, 'tabs': total['open'],
           'sent': sent, 'delivered': delivered, 'late': late, 'lost': lost, 'msg_p95': p95,
           'opened': total['opened'], 'closed': total['closed'], 'failed': total['failed'],
           'dropped': total['lost'],
           'open_p95': percentile(total['open_ms'], .95),
           'server_cpu': 100 * (cpu_now[0] - cpu_before[0]) / wall,
           'gen_cpu': 100 * (cpu_now[1] - cpu_before[1] + cpu_now[2] - cpu_before[2]) / wall,
           'machine': 100 * busy / wall, 'others': 100 * max(0.0, busy - ours) / wall, 'load1': machine.load1()}
    previous = soak.rows[-1] if soak.rows else soak.base
    soak.rows.append(row)
    print_row(row, previous)
    for error in total['errors'][:3]:
        print(f'     generator: {error}', flush=True)
    return cpu_now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--minutes', type=int, default=30)
    parser.add_argument('--tabs', type=int, default=300, help='tabs open at any time (default 300)')
    parser.add_argument('--churn-slots', type=int, default=100, help='of those, how many are replaced (default 100)')
    parser.add_argument('--churn-rate', type=float, default=5.0, help='tabs opened and closed a second (default 5)')
    parser.add_argument('--rate', type=float, default=2.0, help='messages sent a second (default 2)')
    parser.add_argument('--thread-cap', type=int, default=20,
                        help='messages in a held conversation before a new person\'s tabs take its place '
                             '(default 20; 0: the same people write for the whole run)')
    parser.add_argument('--workers', type=int, default=2, help='generator processes (default 2)')
    parser.add_argument('--postgres', metavar='URL', nargs='?', const=DEFAULT_POSTGRES,
                        help=f'run on a new database on this PostgreSQL server, dropped afterwards '
                             f'(default {DEFAULT_POSTGRES})')
    args = parser.parse_args()
    if args.tabs - args.churn_slots < 2 * (RESPONDERS + CORE_CUSTOMERS + AGENTS):
        parser.error(f'--tabs minus --churn-slots must be at least {2 * (RESPONDERS + CORE_CUSTOMERS + AGENTS)}')
    run(args)


if __name__ == '__main__':
    main()
