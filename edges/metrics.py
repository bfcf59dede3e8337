"""/metrics in Prometheus' text format: HTTP traffic, connected tabs, domain events and the database pool."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate
from typing import Any

from fastapi import FastAPI
from nicegui import Client
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.gc_collector import GCCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.utils import floatToGoString
from starlette.requests import Request
from starlette.responses import Response

from domain.hub import EventHub
from storage.database import Database

from .http_stats import HttpStats


def _clients() -> Iterable[Client]:
    return list(Client.instances.values())


class DeskCollector:
    """Reads the plain counters of the middleware, the hub, NiceGUI and the pool when scraped, not per request."""

    def __init__(self, stats: HttpStats, hub: EventHub, database: Database, *,
                 clients: Callable[[], Iterable[Client]] = _clients) -> None:
        self.stats = stats
        self.hub = hub
        self.database = database
        self.clients = clients

    def collect(self) -> Iterator[Metric]:
        yield from self._http()
        tabs = list(self.clients())
        yield GaugeMetricFamily('switchboard_connected_tabs', 'Browser tabs with a live socket connection.',
                                value=sum(1 for client in tabs if client.has_socket_connection))
        yield GaugeMetricFamily('switchboard_ui_clients', 'NiceGUI clients kept, connected or awaiting reconnection.',
                                value=len(tabs))
        yield from self._events()
        yield from self._pool()

    def _http(self) -> Iterator[Metric]:
        requests = CounterMetricFamily('switchboard_http_requests', 'HTTP requests by route template and status.',
                                       labels=['method', 'route', 'status'])
        for labels, count in list(self.stats.requests.items()):
            requests.add_metric(list(labels), count)
        yield requests
        latency = HistogramMetricFamily('switchboard_http_request_duration_seconds',
                                        'HTTP request latency by route template.', labels=['method', 'route'])
        bounds = [floatToGoString(bound) for bound in self.stats.buckets] + ['+Inf']
        for (method, route), (counts, total) in list(self.stats.latency.items()):
            latency.add_metric([method, route], list(zip(bounds, accumulate(counts), strict=True)), total[0])
        yield latency

    def _events(self) -> Iterator[Metric]:
        published = CounterMetricFamily('switchboard_events_published', 'Domain events published on this instance '
                                        '(those from other instances included).', labels=['kind'])
        for kind, count in list(self.hub.published_by_kind.items()):
            published.add_metric([kind.__name__], count)
        yield published
        delivered = CounterMetricFamily('switchboard_events_delivered', 'Domain events handed to subscribers '
                                        '(one per subscriber).', labels=['kind'])
        for kind, count in list(self.hub.delivered_by_kind.items()):
            delivered.add_metric([kind.__name__], count)
        yield delivered

    def _pool(self) -> Iterator[Metric]:
        engine = self.database.engine
        pool: Any = engine.pool if engine is not None else None
        if pool is None or not hasattr(pool, 'checkedout'):  # not started, or a pool that keeps no count
            return
        for name, value, help_text in (
                ('size', pool.size(), 'Connections the pool keeps open.'),
                ('checked_out', pool.checkedout(), 'Connections in use.'),
                ('idle', pool.checkedin(), 'Open connections waiting in the pool.'),
                ('overflow', max(0, pool.overflow()), 'Connections open beyond the pool size.'),
                ('max_overflow', getattr(pool, '_max_overflow', 0), 'Connections allowed beyond the pool size.')):
            yield GaugeMetricFamily(f'switchboard_db_pool_{name}', help_text, value=value)


def register(app: FastAPI, collector: DeskCollector) -> CollectorRegistry:
    """Serve /metrics from a registry of this app's own, so several apps in one process (tests) do not clash."""
    registry = CollectorRegistry()
    registry.register(collector)
    ProcessCollector(registry=registry)
    GCCollector(registry=registry)

    async def metrics(_request: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    app.add_route('/metrics', metrics, methods=['GET'], include_in_schema=False)
    return registry
