"""Matching what was sent with what arrived at which tab: latency, lost, duplicated, shown where it must not be."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from live_tab import Arrival


@dataclass
class Expect:
    """`key` (a message text or 'badge:<status>') must reach `tabs` once within [sent, end), never `forbidden`."""

    key: str
    sent: float
    tabs: set[int]
    forbidden: set[int] = field(default_factory=set)
    end: float = float('inf')
    part: str = ''  # what kind of delivery, for a figure per kind (a sender's own chat, the agents' desks, ...)


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    lost: int = 0
    duplicated: int = 0
    wrong_tab: int = 0
    wrong_examples: list[str] = field(default_factory=list)
    expected: int = 0
    unsent: int = 0


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float('nan')
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def evaluate(expectations: list[Expect], arrivals: list[Arrival], timeout: float) -> Outcome:
    by_key: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for key, tab, at in arrivals:
        by_key[key][tab].append(at)
    outcome = Outcome()
    for expect in expectations:
        end = min(expect.end, expect.sent + timeout)
        seen = by_key.get(expect.key, {})
        for tab in expect.tabs:
            outcome.expected += 1
            times = [at for at in seen.get(tab, ()) if expect.sent <= at < end]
            if not times:
                outcome.lost += 1
                continue
            outcome.latencies_ms.append((min(times) - expect.sent) * 1000)
            if len(times) > 1:
                outcome.duplicated += 1
        for tab in set(seen) & expect.forbidden:
            outcome.wrong_tab += 1
            if len(outcome.wrong_examples) < 5:
                outcome.wrong_examples.append(f'{expect.key!r} at tab {tab}')
    return outcome


def part_lines(expectations: list[Expect], arrivals: list[Arrival], timeout: float,
               ratio: Callable[[list[float]], str] | None) -> dict[str, str]:
    """p95/p99 (and the ratio to the floor) per kind of delivery, when a scenario names kinds."""
    lines = {}
    for part in sorted({expect.part for expect in expectations if expect.part}):
        outcome = evaluate([e for e in expectations if e.part == part], arrivals, timeout)
        lat = outcome.latencies_ms
        lines[f'part {part}'] = (f'{len(lat)} of {outcome.expected} arrived, lost {outcome.lost}, duplicated '
                                 f'{outcome.duplicated}; p95 {percentile(lat, .95):.1f} ms '
                                 f'p99 {percentile(lat, .99):.1f} ms' + (f'; {ratio(lat)}' if ratio else ''))
    return lines


def report(name: str, outcome: Outcome, *, target: str, figures: dict[str, str]) -> str:
    lat = outcome.latencies_ms
    lines = [f'=== {name} ===',
             f'deliveries expected {outcome.expected}, arrived {len(lat)}, lost {outcome.lost}, '
             f'duplicated {outcome.duplicated}, shown at a tab that must not show it {outcome.wrong_tab}'
             + (f' (unsent: {outcome.unsent})' if outcome.unsent else ''),
             f'latency ms: p50 {percentile(lat, .5):.1f}  p95 {percentile(lat, .95):.1f}  '
             f'p99 {percentile(lat, .99):.1f}  max {max(lat, default=float("nan")):.1f}   target: {target}']
    lines += [f'{key}: {value}' for key, value in figures.items()]
    lines += [f'wrong: {example}' for example in outcome.wrong_examples]
    return '\n'.join(lines)
