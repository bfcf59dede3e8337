"""One call from the composition root puts the edges on the app: middleware, health, readiness and metrics."""

from __future__ import annotations

from fastapi import FastAPI

from domain.desk import Desk
from patches import fast_path
from settings import Settings

from . import health, metrics
from .client_ip import ClientAddress
from .cors import ApiCorsMiddleware
from .http_stats import HttpStats
from .metrics import DeskCollector
from .observe import ObserveMiddleware
from .ratelimit import RateLimitMiddleware


def install_edges(app: FastAPI, desk: Desk, settings: Settings) -> None:
    """Before `ui.run`: Starlette builds the middleware stack on the first request and takes none after."""
    stats = HttpStats()
    # add_middleware puts each one outside the ones before it: the observer wraps CORS, CORS wraps the limits,
    # so a 429 carries CORS headers and a request id, and preflight requests are never counted.
    app.add_middleware(RateLimitMiddleware, api=settings.rate_limit_api, auth=settings.rate_limit_auth,
                       client_address=ClientAddress(settings.trusted_proxies),
                       peek=desk.tokens.peek)  # a signed check of the bearer token, no database read
    if settings.cors_origins:
        app.add_middleware(ApiCorsMiddleware, origins=list(settings.cors_origins))
    app.add_middleware(ObserveMiddleware, stats=stats)
    fast_path.route(app, prefix='/api/', edges=(ObserveMiddleware, ApiCorsMiddleware, RateLimitMiddleware))
    health.register(app, desk.database)
    metrics.register(app, DeskCollector(stats, desk.hub, desk.database))
