"""The REST API under /api/v1: routers on the app NiceGUI serves, calling the same services as the pages."""

from __future__ import annotations

from fastapi import FastAPI

from domain.desk import Desk
from patches import fast_path

from . import (
    audit,
    auth,
    conversations,
    docs,
    errors,
    events,
    files,
    orders,
    queues,
    requests,
    rules,
    support,
    tickets,
    users,
    webhooks,
    widgets,
)

PREFIX = '/api/v1'
DESCRIPTION = """Switchboard's REST API. Get tokens with `POST /api/v1/auth/token` (username and password), then
send `Authorization: Bearer <access_token>`. Access tokens last 15 minutes; trade the refresh token at
`POST /api/v1/auth/refresh` for a new pair (each refresh token works once). Errors always look like
`{"error": {"code": "...", "message": "...", "field": "..."}}`. Lists return `{"items": [...], "next_cursor": ...}`:
pass `next_cursor` back as `cursor` for the next page. Live events: `GET /api/v1/events` (Server-Sent Events) or
the WebSocket `/api/v1/events/ws`, resumable by event id. A walkthrough with curl (the support desk, employee
requests, orders and tokens) is docs/api.md in the source."""


def install(app: FastAPI, desk: Desk) -> None:
    """Mount the routers, the error handlers and the docs (/docs, /redoc, /openapi.json)."""
    app.state.desk = desk
    app.title, app.version, app.description = 'Switchboard', '1', DESCRIPTION
    # include_router wraps the app's lifespan in one more layer each time; the test runner starts main.py (and so
    # this) hundreds of times in one process, so keep the app's own: these routers bring no lifespan of their own.
    lifespan = app.router.lifespan_context
    modules = (auth, requests, orders, conversations, files, support, queues, users, tickets, rules, audit, events,
               webhooks, widgets)
    for module in modules:
        app.include_router(module.router, prefix=PREFIX)
    app.state.api_methods = errors.PathMethods.of((module.router for module in modules), PREFIX)
    fast_path.routers(app, PREFIX, (module.router for module in modules))  # the API's calls go straight to these
    app.router.lifespan_context = lifespan
    errors.install(app)
    docs.install(app, title=app.title)
