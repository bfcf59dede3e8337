"""Switchboard's composition root: settings -> storage -> services -> UI -> ui.run."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from nicegui import app, ui
from nicegui.storage import Storage

from domain.demo import seed_demo
from domain.desk import Desk
from domain.files import DEFAULT_TYPES, MB, FileLimits
from settings import load_settings
from storage.database import Database
from ui import app as web
from ui import gc_policy

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
    parser.add_argument('--host', help='address to listen on (default 0.0.0.0, or HOST)')
    return parser.parse_args(argv)


def main() -> None:
    simulated = os.environ.get('NICEGUI_USER_SIMULATION') == 'true'
    args = parse_args([] if simulated else None)  # under the test runner, argv belongs to pytest
    settings = load_settings(demo=True if args.demo else None, native=args.native, port=args.port, host=args.host)
    if not simulated:  # browser sessions live beside the database, not in the working directory
        Storage.path = settings.data_dir / 'sessions'
        app.storage = Storage()
    limits = FileLimits(max_bytes=int(settings.upload_max_mb * MB), types=settings.upload_types or DEFAULT_TYPES)
    desk = Desk.build(Database(settings.database_url), secret_key=settings.secret_key,
                      bcrypt_rounds=settings.bcrypt_rounds, files_dir=settings.data_dir / 'files', file_limits=limits,
                      shared_events=True)  # on PostgreSQL other instances hear of every change; SQLite has one
    web.current = desk

    def start() -> None:
        desk.start()
        if settings.demo:
            desk.after_start(seed_demo(desk))

    async def stop() -> None:
        await desk.stop()

    if settings.native and sys.platform.startswith('linux'):
        os.environ.setdefault('PYWEBVIEW_GUI', 'qt')  # the backend the .[native] extra installs; skips a GTK attempt
    app.on_startup(start)
    app.on_shutdown(stop)
    if not simulated:  # tests run many short apps in one process; the policy is for a long-running server
        gc_policy.install()
    ui.run(web.register(desk, default_language=settings.language), title='Switchboard', host=settings.host,
           port=settings.port, native=settings.native, reload=False, show=False, storage_secret=settings.secret_key,
           favicon='🛎️', window_size=(1200, 800) if settings.native else None,
           ws_per_message_deflate=False)  # ~150 kB less per open tab; updates are small, compression bought little


if __name__ in {'__main__', '__mp_main__'}:
    main()
