"""NiceGUI's own floor, measured in the same run as each live scenario (../shared/PERFORMANCE.md, "Live updates").

bench/live_floor_server.py serves a bare page; the same generator opens N tabs on it (raw engine.io websockets that
ack like nicegui.js), then a POST changes the label's text in every tab, and one appends a ui.label in every tab,
each `changes` times `gap` s apart. The figures: p95/p99 from the POST to each tab's update frame, per kind.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from live_generator import Generator
from live_server import HOST, PROJECT_ROOT, free_port
from live_stats import Expect, Outcome, evaluate, percentile
from live_worker import TabSpec

SCRIPT = Path(__file__).with_name('live_floor_server.py')
TIMEOUT = 5.0
KINDS = ('text', 'append')  # a label's text changes / a new label is appended


@dataclass
class Floor:
    tabs: int
    connected: int
    outcomes: dict[str, Outcome]
    kb_per_tab: float
    still: int = 0  # tabs still connected at the end
    problems: tuple[str, ...] = ()

    def p(self, kind: str, fraction: float) -> float:
        return percentile(self.outcomes[kind].latencies_ms, fraction)

    def line(self) -> str:
        parts = [f'{kind} p95 {self.p(kind, .95):.1f} ms p99 {self.p(kind, .99):.1f} ms '
                 f'(lost {self.outcomes[kind].lost}/{self.outcomes[kind].expected})' for kind in KINDS]
        return (f'bare NiceGUI, {self.connected} of {self.tabs} tabs ({self.still} at the end): ' + '; '.join(parts)
                + f'; server RSS {self.kb_per_tab:.0f} kB per tab' + ''.join(f'; {p}' for p in self.problems[:3]))

    def ratios(self, kind: str, latencies_ms: list[float]) -> str:
        """The scenario's p95 and p99 over the floor's of the same kind of change."""
        p95, p99 = percentile(latencies_ms, .95) / self.p(kind, .95), percentile(latencies_ms, .99) / self.p(kind, .99)
        return f'p95 {p95:.2f}x, p99 {p99:.2f}x the {"text change" if kind == "text" else "append"} floor'


def _post(url: str) -> str:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(urllib.request.Request(url, method='POST'), timeout=60) as response:
        return response.read().decode()


def _rss_mb(pid: int) -> float:
    for line in Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
    return 0.0


def measure_floor(tabs: int, workers: int, *, changes: int = 10, gap: float = 1.0) -> Floor:
    port = free_port()
    base = f'http://{HOST}:{port}'
    log = Path(tempfile.mkdtemp(prefix='live-floor-')) / 'server.log'  # kept, as the app's logs are
    with log.open('wb') as out:
        server = subprocess.Popen([sys.executable, str(SCRIPT), str(port)], cwd=PROJECT_ROOT,
                                  stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(base + '/', timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError('the floor server did not start') from None
                time.sleep(0.2)
        time.sleep(1)
        rss_idle = _rss_mb(server.pid)
        generator = Generator([base], [TabSpec(n, None, '/') for n in range(tabs)], workers)
        connected, _ = generator.ready(timeout=900)
        time.sleep(2)
        _post(base + '/freeze')  # what the app's collector policy does once its tabs have settled
        time.sleep(1)
        kb_per_tab = (_rss_mb(server.pid) - rss_idle) * 1024 / max(connected, 1)
        expects: dict[str, list[Expect]] = {kind: [] for kind in KINDS}
        failures: list[str] = []
        for kind in KINDS:
            for number in range(changes):
                token = f'LT-floor-{kind}-{number}'
                sent = time.monotonic()
                try:
                    failed = int(_post(f'{base}/{kind}?{urlencode({"token": token})}'))
                except OSError as error:
                    raise RuntimeError(f'the floor server failed ({error}):\n{log.read_text()[-3000:]}') from None
                if failed:
                    failures.append(f'{kind} {number} failed in {failed} tabs (see {log})')
                expects[kind].append(Expect(token, sent, set(range(tabs))))
                time.sleep(gap)
        time.sleep(TIMEOUT)
        arrivals, _, _, still, problems = generator.results()
    finally:
        server.terminate()
        try:
            server.wait(8)
        except subprocess.TimeoutExpired:
            server.kill()
    return Floor(tabs, connected, {kind: evaluate(expects[kind], arrivals, TIMEOUT) for kind in KINDS}, kb_per_tab,
                 still, tuple(failures + problems))
