"""Fixtures for the channel tests: fake outside services on 127.0.0.1 (OAuth provider, SMTP, Slack), browsers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from nicegui import core
from nicegui.testing import User

from channels.notify import install_notifications
from channels.telegram_api import BotApi
from domain.desk import Desk
from domain.jobs.worker import Worker
from settings import load_settings
from tests.channels.notify_steps import Clock
from tests.channels.steps import APP, Browser
from tests.fakes.oauth_provider import FakeProvider, RunningProvider
from tests.fakes.slack import FakeSlack, RunningSlack
from tests.fakes.smtp import SmtpServer
from tests.fakes.telegram_api import FakeBotApi


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


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 that keeps what it receives; `stop()` and `start()` take it down and back."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with RunningSlack() as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def notifying(desk: Desk, smtp: SmtpServer, slack: FakeSlack, clock: Clock, app_env: Path,
                    monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Desk]:
    """The desk with email and Slack turned on from the environment, as main.py does; its worker on `clock`."""
    monkeypatch.setenv('SMTP_HOST', smtp.host)
    monkeypatch.setenv('SMTP_PORT', str(smtp.port))
    monkeypatch.setenv('SMTP_FROM', 'Switchboard <desk@switchboard.test>')
    monkeypatch.setenv('SLACK_WEBHOOK_URL', slack.webhook_url)
    desk.worker = Worker(desk.worker.uow, clock=clock.now)  # the test runs it, and moves time on for retries
    app = FastAPI()
    install_notifications(app, desk, load_settings())
    yield desk
    for close in app.router.on_shutdown:
        await close()


@pytest.fixture
async def bot_client(bot_api: FakeBotApi) -> AsyncIterator[BotApi]:
    """The app's Bot API client, pointed at the fake."""
    client = BotApi(bot_api.token, bot_api.base_url, timeout=5)
    yield client
    await client.aclose()
