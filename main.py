"""Switchboard's composition root: settings -> storage -> services -> UI -> ui.run."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from nicegui import app, ui
from nicegui.storage import Storage

import api
import patches
from channels import oauth
from channels.wiring import install_channels
from domain.demo import DEMO_USERS, seed_demo
from domain.desk import Desk
from domain.files import DEFAULT_TYPES, MB, FileLimits
from edges.announce import announce_demo, announce_listening
from edges.logs import configure_logging
from edges.wiring import install_edges
from settings import load_settings
from storage.database import Database
from ui import app as web
from ui.tab import NOTICE, SESSION

log = logging.getLogger('switchboard')


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog='python main.py',
        description='Switchboard, a self-hosted request desk. Settings come from the environment and .env: '
                    'DATABASE_URL (default: SQLite in DATA_DIR), DATA_DIR (default ./data), SECRET_KEY, HOST, PORT.')
    parser.add_argument('--native', action='store_true', help='open in a desktop window (needs the .[native] extra)')
    parser.add_argument('--demo', action='store_true',
                        help='seed demo users and requests (always on for the SQLite demo)')
    parser.add_argument('--port', type=int, help='port to listen on (default 8080, or PORT)')
    parser.add_argument('--host', help='address to listen on (default 127.0.0.1: this machine only, or HOST; '
                                       '0.0.0.0 serves other machines, the demo users included)')
    return parser.parse_args(argv)


def main() -> None:
    simulated = os.environ.get('NICEGUI_USER_SIMULATION') == 'true'
    args = parse_args([] if simulated else None)  # under the test runner, argv belongs to pytest
    settings = load_settings(demo=True if args.demo else None, native=args.native, port=args.port, host=args.host)
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    if not simulated:  # browser sessions live beside the database, not in the working directory
        Storage.path = settings.data_dir / 'sessions'
        app.storage = Storage()
    # Patches of NiceGUI's, socket.io's, FastAPI's and SQLAlchemy's internals (docs/patches.md): each only within
    # the versions it was verified for, every speed-up off with PATCHES=off. The memory policy is for a
    # long-running server; tests run many short apps in one process.
    patches.install_all(settings.patches, long_running=not simulated)
    limits = FileLimits(max_bytes=int(settings.upload_max_mb * MB), types=settings.upload_types or DEFAULT_TYPES)
    database = Database(settings.database_url, pool_size=settings.database_pool_size)
    desk = Desk.build(database, secret_key=settings.secret_key,
                      bcrypt_rounds=settings.bcrypt_rounds, files_dir=settings.data_dir / 'files', file_limits=limits,
                      shared_events=True)  # on PostgreSQL other instances hear of every change; SQLite has one
    web.current = desk
    install_edges(app, desk, settings)  # CORS, rate limits, request ids and logs, /healthz, /readyz, /metrics
    api.install(app, desk)  # the REST API under /api/v1, documented at /docs, /redoc and /openapi.json
    install_channels(app, desk, settings)  # Telegram, email, Slack: job handlers and intake, as configured

    async def seed() -> None:
        await seed_demo(desk)
        announce_demo(settings, ((username, password) for username, password, _role in DEMO_USERS))

    def start() -> None:
        desk.start()
        announce_listening(settings)
        if settings.demo:
            desk.after_start(seed())

    async def stop() -> None:
        web.stop()  # pages first: a list's refresh must not read from a database closing under it
        await desk.stop()

    if settings.native and sys.platform.startswith('linux'):
        os.environ.setdefault('PYWEBVIEW_GUI', 'qt')  # the backend the .[native] extra installs; skips a GTK attempt
    app.on_startup(start)
    app.on_shutdown(stop)
    # Sign-in through OAuth providers writes the same per-browser store the pages read.
    oauth.register(app, desk, settings.oauth_providers, public_url=settings.public_url,
                   browser=oauth.BrowserStore(lambda: app.storage.user, SESSION, NOTICE))
    root = web.register(desk, default_language=settings.language,
                        providers={provider.key: provider.name for provider in settings.oauth_providers})
    ui.run(root, title='Switchboard', host=settings.host,
           port=settings.port, native=settings.native, reload=False, show=False, storage_secret=settings.secret_key,
           favicon='🛎️', window_size=(1200, 800) if settings.native else None,
           session_middleware_kwargs={'https_only': settings.secure_cookies},  # the cookie's Secure flag
           access_log=False, log_config=None,  # our request log replaces uvicorn's, whose loggers then reach ours
           # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: a local client could then name
           # any address (a fresh rate-limit budget per request). Only TRUSTED_PROXIES, as edges/client_ip.py reads.
           forwarded_allow_ips=','.join(settings.trusted_proxies),
           ws_per_message_deflate=False,  # ~150 kB less per open tab; updates are small, compression bought little
           # NiceGUI pings every socket at 0.8 x this (at least 4 s): with the default 3 s, 1,000 idle tabs cost a
           # quarter of a core in pings and pongs alone. 10 s pings every 8 s and lets a phone on a flaky network
           # come back to its page rather than a fresh one; a closed tab's page is kept that much longer.
           reconnect_timeout=10.0,
           # On SIGTERM uvicorn waits for every open response before the app's shutdown, and an event stream
           # (/api/v1/events) never ends by itself: after this many seconds it cancels what is left; clients
           # reconnect (to another instance) with their last event id.
           timeout_graceful_shutdown=5)


if __name__ in {'__main__', '__mp_main__'}:
    main()
