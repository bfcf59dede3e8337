"""One call from the composition root puts the edges on the app: middleware, health, readiness and metrics."""

from __future__ import annotations

import re

from fastapi import FastAPI
from nicegui import core

from domain.desk import Desk
from domain.files import MAX_FILES
from patches import fast_path
from settings import Settings

from . import health, metrics, socket_origin
from .body_limit import KB, BodyLimitMiddleware, BodyRoute
from .client_ip import ClientAddress
from .cors import ApiCorsMiddleware
from .http_stats import HttpStats
from .metrics import DeskCollector
from .observe import ObserveMiddleware
from .ratelimit import RateLimitMiddleware
from .security_headers import SecurityHeadersMiddleware
from .start_gate import StartGateMiddleware


def install_edges(app: FastAPI, desk: Desk, settings: Settings) -> None:
    """Before `ui.run`: Starlette builds the middleware stack on the first request and takes none after."""
    stats = HttpStats()
    client_address = ClientAddress(settings.trusted_proxies)
    # The sign-in throttle (pages and API) sees a request's address as the rate limits do: one rule for both.
    app.state.client_address = client_address
    # add_middleware puts each one outside the ones before it: the observer wraps CORS, CORS wraps the limits,
    # so a 429 carries CORS headers and a request id, and preflight requests are never counted. Innermost, the
    # start gate: a 503 while starting is limited, logged and carries CORS headers like any answer.
    app.add_middleware(StartGateMiddleware, started=lambda: desk.started)
    # Inside the rate limits, so a flood is turned away before its size is looked at.
    app.add_middleware(BodyLimitMiddleware, limit=settings.body_max_kb * KB,
                       routes=body_routes(desk.files.limits.max_bytes, settings.body_max_kb * KB),
                       peek=desk.tokens.peek)
    app.add_middleware(RateLimitMiddleware, api=settings.rate_limit_api, auth=settings.rate_limit_auth,
                       client_address=client_address,
                       peek=desk.tokens.peek)  # a signed check of the bearer token, no database read
    if settings.cors_origins:
        app.add_middleware(ApiCorsMiddleware, origins=list(settings.cors_origins))
    app.add_middleware(SecurityHeadersMiddleware)  # outside the limits and CORS: their answers get the headers too
    app.add_middleware(ObserveMiddleware, stats=stats)
    fast_path.route(app, prefix='/api/', edges=(ObserveMiddleware, SecurityHeadersMiddleware, ApiCorsMiddleware,
                                                RateLimitMiddleware, BodyLimitMiddleware, StartGateMiddleware))
    socket_origin.restrict(core.sio, public_url=settings.public_url, cors_origins=settings.cors_origins)
    health.register(app, desk)
    metrics.register(app, DeskCollector(stats, desk.hub, desk.database))


PART_OVERHEAD = 16 * KB  # a multipart part's boundary and headers, a long file name included


def body_routes(file_bytes: int, small: int) -> tuple[BodyRoute, ...]:
    """The routes that take files: a message's files through the API, and one file per request from the pages."""
    per_file = file_bytes + PART_OVERHEAD
    return (BodyRoute(re.compile(r'/api/v1/(?:requests|tickets)/[^/]+/files'), MAX_FILES * per_file + small,
                      bearer=True),
            # NiceGUI's uploader (ui.upload) posts each file on its own unless it is given a batch handler.
            BodyRoute(re.compile(r'/_nicegui/client/[^/]+/upload/[^/]+'), per_file + small))
