"""The report of bench/api_load.py: requests/s, latency percentiles, errors, CPU of each party, per call of the mix."""

from __future__ import annotations

import argparse
from collections import Counter

from api_load_worker import MIXES, Result

SERVER_ENV = {'RATE_LIMIT_API': '1000000/minute', 'RATE_LIMIT_AUTH': '100000/minute', 'LOG_LEVEL': 'WARNING'}
TARGET = '>= 1,000 requests/s on PostgreSQL with p99 < 100 ms and zero errors'


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))] if values else float('nan')


def report(title: str, seed_line: str, results: list[Result], cpu: dict[str, float], args: argparse.Namespace,
           postgres: bool) -> str:
    duration, core = args.duration, 100 / args.duration
    mix = MIXES[args.mix]
    latencies = {name: sorted(x for r in results for x in r.latencies.get(name, [])) for name, _, _ in mix}
    outcomes = {name: sum((r.outcomes.get(name, Counter()) for r in results), Counter()) for name, _, _ in mix}
    every = sorted(x for values in latencies.values() for x in values)
    total = len(every)
    errors = sum((Counter({k: v for k, v in c.items() if not k.startswith('2')}) for c in outcomes.values()),
                 Counter())
    rate = total / duration
    p99 = percentile(every, 0.99)
    generator = sum(r.cpu for r in results)
    lines = [
        f'== {title} ==',
        seed_line,
        'server: one `python main.py`, ' + ' '.join(f'{k}={v}' for k, v in SERVER_ENV.items()) + ' BCRYPT_ROUNDS=4',
        f'load: {args.clients} clients (one user and token each) in {args.processes} aiohttp processes, keep-alive; '
        f'{duration:g} s measured after {args.warmup:g} s warm-up',
        'mix: ' + ', '.join(f'{weight} % {name} ({what})' for name, weight, what in mix),
        f'requests/s  {rate:8,.0f}    server CPU {cpu["server"] * core:.0f} % of a core, generator CPU '
        f'{generator * core:.0f} %'
        + (f', PostgreSQL (all its processes) {cpu["postgres"] * core:.0f} %' if postgres else '')
        + f', machine {cpu["machine"] * 100:.0f} % busy',
        # Per request, CPU is what a busy machine changes least (the others share its cores): compare runs by it.
        f'CPU/request server {cpu["server"] * 1000 / max(total, 1):.2f} ms'
        + (f', PostgreSQL {cpu["postgres"] * 1000 / max(total, 1):.2f} ms' if postgres else '')
        # The backends of the benchmark's own database: what other users of the same PostgreSQL leave out.
        + (f' (its backends of this database {cpu["backends"] * 1000 / max(total, 1):.2f} ms)'
           if postgres and 'backends' in cpu else ''),
        f'latency     p50 {percentile(every, .5) * 1000:.1f} ms, p95 {percentile(every, .95) * 1000:.1f} ms, '
        f'p99 {p99 * 1000:.1f} ms',
        f'errors      {sum(errors.values())}' + (' (' + ', '.join(f'{k}: {v}' for k, v in errors.most_common())
                                                 + ')' if errors else ''),
        f'  {"call":8} {"count":>7} {"req/s":>7} {"p50 ms":>7} {"p95 ms":>7} {"p99 ms":>7}  errors',
    ]
    for name, _, _ in mix:
        values, bad = latencies[name], sum(v for k, v in outcomes[name].items() if not k.startswith('2'))
        lines.append(f'  {name:8} {len(values):7,} {len(values) / duration:7,.0f} '
                     + ' '.join(f'{percentile(values, q) * 1000:7.1f}' for q in (.5, .95, .99)) + f'  {bad}')
    lines += [f'  sample error: {sample}' for r in results for sample in r.samples][:5]
    met = rate >= 1000 and p99 < 0.1 and not errors
    verdict = ('met' if met else 'NOT met') if postgres else 'applies to PostgreSQL'
    lines.append(f'target: {TARGET} -> {verdict}')
    return '\n'.join(lines)
