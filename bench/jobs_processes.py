"""The processes of bench/jobs.py: the stand-in SMTP and Slack servers, and an app's job worker.

Each runs in its own process (spawned, so no event loop or connection is inherited) and talks to the bench over
a pipe. The stand-ins count what arrives by its identity: an email by its Message-ID, a Slack post by its text.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MESSAGE_ID = re.compile(rb'^Message-ID:\s*(<[^>\r\n]+>)', re.IGNORECASE | re.MULTILINE)


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


class CountingMailbox:
    """aiosmtpd's handler: every accepted message counted by its Message-ID; the body is not parsed."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        found = MESSAGE_ID.search(envelope.content)
        self.received[found.group(1).decode() if found else '(none)'] += 1
        return '250 OK: queued'


def standins_main(conn: Connection, smtp_port: int, slack_port: int) -> None:
    """Serve SMTP on `smtp_port` and the Slack webhook on `slack_port` until told to stop."""
    asyncio.run(_standins(conn, smtp_port, slack_port))


async def _standins(conn: Connection, smtp_port: int, slack_port: int) -> None:
    sys.path.insert(0, str(PROJECT_ROOT))
    import uvicorn
    from aiosmtpd.smtp import SMTP

    from tests.fakes.slack import FakeSlack

    mailbox, slack = CountingMailbox(), FakeSlack(base_url=f'http://127.0.0.1:{slack_port}')
    loop = asyncio.get_running_loop()
    smtp = await loop.create_server(lambda: SMTP(mailbox, hostname='bench.test'), '127.0.0.1', smtp_port)
    web = uvicorn.Server(uvicorn.Config(slack.app(), host='127.0.0.1', port=slack_port, log_level='warning',
                                        lifespan='off', access_log=False))
    serving = asyncio.create_task(web.serve())
    while not web.started:  # noqa: ASYNC110 (uvicorn offers no event to wait on)
        await asyncio.sleep(0.01)
    conn.send('ready')
    while True:
        command = await asyncio.to_thread(conn.recv)
        if command == 'counts':
            conn.send({'email': dict(mailbox.received), 'slack': dict(Counter(slack.texts)), 'cpu': cpu_seconds()})
        elif command == 'reset':
            mailbox.received.clear()
            slack.posts.clear()
            conn.send('ok')
        else:
            break
    web.should_exit = True
    await serving
    smtp.close()
    await smtp.wait_closed()


def worker_main(conn: Connection, env: dict[str, str]) -> None:
    """One app process's job worker, with the email and Slack handlers main.py would install from `env`."""
    asyncio.run(_worker(conn, env))


async def _worker(conn: Connection, env: dict[str, str]) -> None:
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.update(env)
    logging.basicConfig(level=logging.WARNING, format='%(asctime)s %(levelname)s %(name)s %(message)s')
    from fastapi import FastAPI

    from channels.notify import install_notifications
    from domain.desk import Desk
    from settings import load_settings
    from storage.database import Database

    settings = load_settings()
    desk = Desk.build(Database(settings.database_url), secret_key='bench secret', bcrypt_rounds=4)
    app = FastAPI()
    install_notifications(app, desk, settings)
    desk.worker.poll = 0.05  # an idle worker looks again soon: the due moment is the start signal
    desk.start()
    await desk.ready()
    conn.send('ready')
    await asyncio.to_thread(conn.recv)  # 'stop'
    for close in app.router.on_shutdown:
        await close()
    await desk.stop()
    conn.send({'processed': desk.worker.processed, 'cpu': cpu_seconds()})
