"""The kept PostgreSQL database of bench/api_load.py --mix tickets: seeded once in bulk, reused until --reseed.

The schema comes from the app's migrations (Database.ready); the benchmark adds the private queue PRIVATE and
turns off the shipped "Orders move on every minute" rule (it would move thousands of seeded orders during the
run). The rows are built in Python (inbox_data + tickets_data) and loaded with COPY (seed_board.copy_tables),
then VACUUM (ANALYZE). What the load generator needs (agents, queues, statuses, search words, time span) is
kept as the database's comment, written last: a database without it is an unfinished seed and is made again.
Runs write to it (replies, status changes): a few thousand rows a run beside 200,000 tickets.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from inbox_data import build_desk
from seed_board import board_info, copy_tables
from sqlalchemy import insert, update
from tickets_data import PRIVATE, QueueInfo, spread, with_status_since

from domain.accounts.service import hash_password
from storage.database import Database
from storage.model_automation import Rule
from storage.models import Queue

DATABASE = 'bench_api_tickets'
ORDERS_RULE = 'Orders move on every minute'  # migration 0007's
PRIVATE_WORKFLOW = 'Support'  # the private queue works like Support: the queue whose workflow it takes


@dataclass(frozen=True)
class TicketsSeed:
    tickets: int
    messages: int
    customers: int
    agents: list[str]  # usernames (the password is live_server.PASSWORD)
    queues: list[dict]  # QueueInfo as dicts
    search_words: list[str]  # a title word and a customer-name fragment, each matching a few hundred tickets
    created_first: float  # POSIX seconds of the oldest and newest ticket
    created_last: float
    per_queue: dict[str, int]
    seconds: float  # how long seeding took


def urls(server: str) -> tuple[str, str, str]:
    """(SQLAlchemy URL, asyncpg DSN of the bench database, asyncpg DSN of the server's postgres database); the
    server's query stays (`?host=/var/run/postgresql`: its Unix socket instead of TCP)."""
    parts = urlsplit(server.replace('postgresql+asyncpg://', 'postgresql://'))

    def named(database: str) -> str:
        return urlunsplit(parts._replace(path=f'/{database}'))
    return named(DATABASE).replace('postgresql://', 'postgresql+asyncpg://', 1), named(DATABASE), named('postgres')


async def prepare(server: str, *, reseed: bool, tickets: int, messages: int, customers: int, agents: int,
                  password: str) -> tuple[str, TicketsSeed, bool]:
    """The database's URL and what it holds, seeding it first when asked or needed; True if seeded now."""
    url, dsn, admin_dsn = urls(server)
    admin = await asyncpg.connect(admin_dsn)
    try:
        comment = await admin.fetchval("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                                       'WHERE datname = $1', DATABASE)
        if comment and not reseed:
            found = TicketsSeed(**json.loads(comment))
            if (found.tickets, found.messages, found.customers, len(found.agents)) == \
                    (tickets, messages, customers, agents):
                return url, found, False
        await admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await admin.close()
    seeded = await _seed(url, dsn, tickets=tickets, messages=messages, customers=customers, agents=agents,
                         password=password)
    admin = await asyncpg.connect(admin_dsn)
    try:
        text = json.dumps(asdict(seeded)).replace("'", "''")
        await admin.execute(f"COMMENT ON DATABASE \"{DATABASE}\" IS '{text}'")
    finally:
        await admin.close()
    return url, seeded, True


async def _seed(url: str, dsn: str, *, tickets: int, messages: int, customers: int, agents: int,
                password: str) -> TicketsSeed:
    started = time.monotonic()
    database = Database(url)
    database.start()
    try:
        await database.ready()
        async with database.engine.begin() as connection:  # type: ignore[union-attr]
            workflow_id = (await connection.execute(
                Queue.__table__.select().with_only_columns(Queue.workflow_id)
                .where(Queue.name == PRIVATE_WORKFLOW))).scalar_one()
            await connection.execute(insert(Queue).values(name=PRIVATE, visibility='private', workflow_id=workflow_id,
                                                          fields=[], one_open_per_author=False))
            await connection.execute(update(Rule).where(Rule.name == ORDERS_RULE).values(enabled=False))
        queues = {}
        for name, private in (('Support', True), ('Board', False), ('Orders', True), (PRIVATE, True)):
            queue_id, statuses = await board_info(database, name)
            queues[name] = QueueInfo(queue_id, name, private, tuple(statuses))
    finally:
        await database.stop()
    support = queues['Support']
    data = build_desk(customers=customers, agents=agents, tickets=tickets, messages=messages, queue_id=support.id,
                      statuses=list(support.statuses))
    per_queue = spread(data, queues)
    secret = hash_password(password, 4)
    data.users = [(*row[:4], secret, *row[5:]) if row[0] in data.agent_ids else row for row in data.users]
    columns, rows = with_status_since(data)
    tables = [(name, columns, rows) if name == 'requests' else (name, cols, table)
              for name, cols, table in data.tables()]
    await copy_tables(dsn, tables)
    created = [row[13] for row in data.requests]
    return TicketsSeed(
        tickets=tickets, messages=messages, customers=customers,
        agents=[row[1] for row in data.users if row[0] in data.agent_ids],
        queues=[asdict(queue) for queue in queues.values()], search_words=[data.search_word, data.name_fragment],
        created_first=min(created).timestamp(), created_last=max(created).timestamp(), per_queue=dict(per_queue),
        seconds=time.monotonic() - started)
