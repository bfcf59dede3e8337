"""Fixtures for the sign-in tests: the fake provider on 127.0.0.1, and browsers that reach it and the app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from nicegui import core
from nicegui.testing import User

from tests.channels.steps import APP, Browser
from tests.fakes.oauth_provider import FakeProvider, RunningProvider


@pytest.fixture
def running() -> Iterator[RunningProvider]:
    server = RunningProvider()
    with server:
        yield server


@pytest.fixture
def provider(running: RunningProvider) -> FakeProvider:
    return running.provider


@pytest.fixture
async def browser(user: User, provider: FakeProvider) -> AsyncIterator[Browser]:
    """Fresh browsers (own cookies) that reach the app in process and the fake provider over the network."""
    clients: list[httpx.AsyncClient] = []

    def make() -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url=APP,
                                   mounts={provider.base_url: httpx.AsyncHTTPTransport()})
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()
