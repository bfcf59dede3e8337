"""Fixtures for the domain tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from domain.desk import Desk
from storage.database import Database
from tests.domain.webhook_steps import delivering, webhook_clock  # noqa: F401 - the webhook tests' fixtures


@pytest.fixture
async def two_instances(desk: Desk) -> AsyncIterator[tuple[Desk, Desk]]:
    """Two desks on one PostgreSQL database, as two app processes would be; the second already hears the first's
    NOTIFY. Skipped on SQLite, where there is only ever one instance."""
    if desk.database.is_sqlite:
        pytest.skip('several instances need PostgreSQL')
    one = Desk.build(desk.database, secret_key='test secret', bcrypt_rounds=4, shared_events=True)
    other = Desk.build(Database(desk.database.url), secret_key='test secret', bcrypt_rounds=4, shared_events=True)
    other.start()
    try:
        await other.database.ready()
        assert other.listener is not None
        await asyncio.wait_for(other.listener.connected.wait(), 5)
        yield one, other
    finally:
        await other.stop()
