"""Readiness: the database answers, and its schema is at the head of the migrations this code ships."""

from __future__ import annotations

import asyncio
import functools
import logging

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from .database import Database, alembic_config

log = logging.getLogger(__name__)
TIMEOUT = 3.0  # seconds; a probe waiting longer than this is as good as a failed one


async def readiness(database: Database, *, within: float = TIMEOUT) -> str | None:
    """None when ready; otherwise why not, in a few words for the probe's answer."""
    if database.engine is None:
        return 'database not started'
    try:
        async with asyncio.timeout(within), database.engine.connect() as connection:
            await connection.execute(text('SELECT 1'))
            revisions = await connection.run_sync(_schema_revisions)
    except TimeoutError:
        return f'database did not answer within {within:g} s'
    except Exception as error:
        log.warning('readiness: database unreachable: %s', error)
        return f'database unreachable ({type(error).__name__})'
    head = script_head()
    if revisions != (head,):
        found = ', '.join(revisions) or 'none'
        return f'migrations not at head: database at {found}, code at {head}'
    return None


@functools.cache
def script_head() -> str:
    """The newest migration shipped with this code (read once: it cannot change while the process runs)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, 'no migrations found'
    return head


def _schema_revisions(connection: Connection) -> tuple[str, ...]:
    # Read directly rather than through Alembic's MigrationContext, which logs two lines each time it is made.
    if not inspect(connection).has_table('alembic_version'):
        return ()
    return tuple(row[0] for row in connection.execute(text('SELECT version_num FROM alembic_version')))
