"""What bench/soak.py reads besides RSS (the server's /metrics, the machine's CPU) and how it prints its figures."""

from __future__ import annotations

import http.cookiejar
import os
import re
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from live_server import Server

TICKS = os.sysconf('SC_CLK_TCK')
COLUMNS = ['min', 'RSS MB', '5s min-max', 'clients', 'sockets', 'tabs', 'opened', 'closed', 'failed', 'dropped',
           'sent', 'deliv', 'late', 'lost', 'msg p95', 'open p95', 'srv CPU', 'gen CPU', 'machine', 'others', 'load1',
           'gen2 gc', 'subs/ev']
HEADER = ' '.join(f'{name:>{max(len(name), 5)}}' for name in COLUMNS)
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ([0-9.eE+-]+|NaN)$')


class Metrics:
    """The server's /metrics, scraped through one cookie jar (one browser session on the server, not one a scrape)."""

    def __init__(self, base_url: str) -> None:
        self.url = f'{base_url}/metrics'
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                  urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.events = (0.0, 0.0)  # published, delivered at the last mark

    def read(self) -> dict[str, float]:
        with self.opener.open(self.url, timeout=30) as response:
            text = response.read().decode()
        sums: dict[str, float] = {}
        for line in text.splitlines():
            found = SAMPLE.match(line)
            if found is None:
                continue
            name, labels, value = found.group(1), found.group(2) or '', float(found.group(3))
            sums[name] = sums.get(name, 0.0) + value
            if labels:
                sums[name + labels] = value
        return sums

    def mark(self) -> dict[str, float]:
        """Clients kept, live sockets, full collections so far, and handler calls per domain event since the last
        mark (a count that climbs with the tabs held steady would mean subscriptions outliving their tabs)."""
        try:
            sums = self.read()
        except OSError:
            return {'clients': float('nan'), 'sockets': float('nan'), 'gen2': float('nan'),
                    'subs_per_event': float('nan')}
        published = sums.get('switchboard_events_published_total', 0.0)
        delivered = sums.get('switchboard_events_delivered_total', 0.0)
        before, self.events = self.events, (published, delivered)
        fresh = published - before[0]
        return {'clients': sums.get('switchboard_ui_clients', float('nan')),
                'sockets': sums.get('switchboard_connected_tabs', float('nan')),
                'gen2': sums.get('python_gc_collections_total{generation="2"}', float('nan')),
                'subs_per_event': (delivered - before[1]) / fresh if fresh else float('nan')}


class Machine:
    """Busy CPU of the whole machine (all cores, every process) from /proc/stat, between marks."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.last = (self._busy(), self.started)

    @staticmethod
    def _busy() -> float:
        fields = [int(value) for value in Path('/proc/stat').read_text().split('\n', 1)[0].split()[1:]]
        return (sum(fields[:8]) - fields[3] - fields[4]) / TICKS  # all but idle and iowait (guest is in user)

    def mark(self) -> tuple[float, float]:
        """CPU seconds the machine was busy and the wall seconds since the last mark."""
        busy, now = self._busy(), time.monotonic()
        (busy_before, before), self.last = self.last, (busy, now)
        return busy - busy_before, now - before

    @staticmethod
    def load1() -> float:
        return float(Path('/proc/loadavg').read_text().split()[0])


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of ys over xs."""
    n = len(xs)
    if n < 2:
        return float('nan')
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread if spread else float('nan')


def rss_verdict(series: list[float]) -> tuple[str, float, float]:
    """("levels off" | "climbs", growth over the second half in MB, RSS at half time in MB): the mean of the last
    three samples against the mean of the three around half time; levels off when the growth is under 5 %."""
    middle = len(series) // 2
    base = sum(series[max(0, middle - 1):middle + 2]) / len(series[max(0, middle - 1):middle + 2])
    end = sum(series[-3:]) / len(series[-3:])
    growth = end - base
    return ('levels off' if growth < 0.05 * base else 'climbs'), growth, base


def sweeps(log_path: Path, wall_start: float) -> list[tuple[float, str]]:
    """The collector policy's sweeps as the server logged them: (minute of the soak, message)."""
    found = []
    for line in log_path.read_text(errors='replace').splitlines():
        if 'gc sweep' in line:
            stamp = datetime.strptime(line[:23], '%Y-%m-%d %H:%M:%S,%f').timestamp()  # the server's local time
            found.append(((stamp - wall_start) / 60, line.split('gc sweep: ', 1)[-1].strip()))
    return found


def print_row(row: dict, previous: dict) -> None:
    """One minute's line under HEADER; opened, closed, failed (openings) and dropped (sockets the server dropped,
    their tabs reloaded) are counted since the previous line."""
    percents = (f'{row[key]:.0f}%' for key in ('server_cpu', 'gen_cpu', 'machine', 'others'))
    cells = [f'{row["minute"]:.0f}', f'{row["rss"]:.1f}', f'{row["low"]:.0f}-{row["high"]:.0f}',
             f'{row["clients"]:.0f}', f'{row["sockets"]:.0f}', row['tabs'], row['opened'] - previous['opened'],
             row['closed'] - previous['closed'], row['failed'] - previous['failed'],
             row['dropped'] - previous['dropped'], row['sent'], row['delivered'],
             row['late'], row['lost'], f'{row["msg_p95"]:.0f} ms', f'{row["open_p95"]:.0f} ms', *percents,
             f'{row["load1"]:.2f}', f'{row["gen2"]:.0f}',
             f'{row["subs_per_event"]:.1f}']
    print(' '.join(f'{cell!s:>{max(len(name), 5)}}' for cell, name in zip(cells, COLUMNS, strict=True)), flush=True)


def summary(rows: list[dict], server: Server, wall_start: float) -> None:
    """The RSS series, its slopes and the verdict, the sweeps the server logged, and its log's problems."""
    if len(rows) < 2:
        print('too short for a verdict')
        return
    series = [row['rss'] for row in rows]
    minutes = [row['minute'] for row in rows]
    half = len(rows) // 2
    print('RSS MB by minute: ' + ', '.join(f'{value:.0f}' for value in series))
    first, second = slope(minutes[:half + 1], series[:half + 1]), slope(minutes[half:], series[half:])
    print(f'slope: first half {first:+.2f} MB/min, second half {second:+.2f} MB/min')
    verdict, growth, base = rss_verdict(series)
    print(f'RSS at half time {base:.0f} MB (mean of 3), at the end {base + growth:.0f} MB: {growth:+.1f} MB '
          f'({100 * growth / base:+.1f} %); rule: levels off if < 5 % -> {verdict}')
    print(f'opened {rows[-1]["opened"]} tabs in all, the initial ones included')
    found = sweeps(server.log_path, wall_start)
    before = [row for row in rows if not found or row['minute'] < found[0][0]]
    if len(before) >= 2:  # a sweep's drop, and the freed memory reused after it, hide the climb from the halves
        print(f'climb before the first sweep: {slope([r["minute"] for r in before], [r["rss"] for r in before]):+.2f}'
              f' MB/min over minutes {before[0]["minute"]:.0f}-{before[-1]["minute"]:.0f}')
    for at, text in found:
        during = next((row for row in rows if row['minute'] > at), None)
        span = f'that minute, 5 s samples {during["high"]:.0f} -> {during["low"]:.0f} MB' if during else 'at the end'
        print(f'sweep at minute {at:.1f}: {text}; {span}')
    problems = [line for line in server.log_problems() if 'gc sweep' not in line]
    print(f'server log: {" | ".join(problems[:5]) or "clean"} ({server.log_path})')
