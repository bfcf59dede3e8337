"""Webhook mode and the settings: Telegram is told where to push, pushes need the secret, no token means no bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from channels import telegram
from channels.telegram_webhook import SECRET_HEADER, webhook_path
from domain.desk import Desk
from settings import TELEGRAM_API, load_settings
from storage.models import Message
from tests.fakes.telegram_api import FakeBotApi
from tests.ui.steps import eventually

SECRET = 'webhook-secret_0123456789abcdef'
PUBLIC = 'https://desk.example.com'


@pytest.fixture
async def pushed(desk: Desk, bot_api: FakeBotApi, app_env: Path,
                 monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[httpx.AsyncClient]:
    """The channel installed in webhook mode on a bare app, started; a client that pushes to it as Telegram does."""
    for name, value in {'TELEGRAM_BOT_TOKEN': bot_api.token, 'TELEGRAM_API_URL': bot_api.base_url,
                        'TELEGRAM_MODE': 'webhook', 'TELEGRAM_WEBHOOK_SECRET': SECRET, 'PUBLIC_URL': PUBLIC}.items():
        monkeypatch.setenv(name, value)
    app = FastAPI()
    telegram.install(app, desk, load_settings())
    for start in app.router.on_startup:
        start()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test') as client:
        yield client
    for stop in app.router.on_shutdown:
        await stop()


def update(update_id: int, text: str) -> dict[str, Any]:
    return {'update_id': update_id, 'message': {'message_id': update_id, 'text': text,
                                                'chat': {'id': 31337, 'type': 'private', 'first_name': 'Ada'}}}


async def bodies(desk: Desk) -> list[str]:
    async with desk.database.connect() as connection:
        return list(await connection.scalars(select(Message.body).order_by(Message.id)))


async def test_telegram_is_told_to_push_to_a_path_that_does_not_show_the_secret(pushed: httpx.AsyncClient,
                                                                                bot_api: FakeBotApi) -> None:
    await eventually(lambda: bot_api.webhook is not None)
    assert bot_api.webhook is not None
    assert bot_api.webhook['url'] == PUBLIC + webhook_path(SECRET)
    assert bot_api.webhook['secret_token'] == SECRET
    assert SECRET not in bot_api.webhook['url']  # request logs show paths
    assert 'getUpdates' not in bot_api.calls


async def test_a_pushed_update_is_posted_once_however_often_it_comes(pushed: httpx.AsyncClient, desk: Desk) -> None:
    for _ in range(2):  # Telegram pushes again when it did not hear back in time
        response = await pushed.post(webhook_path(SECRET), json=update(1, 'Pushed to us'),
                                     headers={SECRET_HEADER: SECRET})
        assert response.status_code == 200
    assert await bodies(desk) == ['Pushed to us']


async def test_pushes_without_the_secret_are_refused(pushed: httpx.AsyncClient, desk: Desk) -> None:
    path = webhook_path(SECRET)
    assert (await pushed.post(path, json=update(1, 'forged'))).status_code == 403
    assert (await pushed.post(path, json=update(2, 'forged'), headers={SECRET_HEADER: 'guess'})).status_code == 403
    assert (await pushed.post(webhook_path('another-secret-0123456789'), json=update(3, 'forged'),
                              headers={SECRET_HEADER: SECRET})).status_code == 404
    assert (await pushed.post(path, content=b'not json', headers={SECRET_HEADER: SECRET})).status_code == 400
    assert await bodies(desk) == []


async def test_a_push_the_desk_cannot_take_now_is_answered_so_that_telegram_sends_it_again(
        pushed: httpx.AsyncClient, desk: Desk, bot_api: FakeBotApi) -> None:
    photo = bot_api.message(31337, 'my photo', photo=b'jpeg bytes')
    await bot_api.go_down()  # the photo cannot be downloaded now
    response = await pushed.post(webhook_path(SECRET), json=photo, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 503
    assert await bodies(desk) == []
    await bot_api.come_back()
    response = await pushed.post(webhook_path(SECRET), json=photo, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    assert await bodies(desk) == ['my photo']


def test_without_a_token_there_is_no_bot(desk: Desk, app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv('TELEGRAM_BOT_TOKEN', raising=False)
    settings = load_settings()
    assert (settings.telegram_bot_token, settings.telegram_api_url, settings.telegram_mode) == \
        (None, TELEGRAM_API, 'polling')
    app = FastAPI()
    routes = len(app.routes)
    telegram.install(app, desk, settings)
    assert len(app.routes) == routes and not app.router.on_startup
    assert 'telegram.deliver' not in desk.worker.kinds


@pytest.mark.parametrize(('env', 'complaint'), [
    ({'TELEGRAM_MODE': 'webhook'}, 'TELEGRAM_WEBHOOK_SECRET and PUBLIC_URL'),
    ({'TELEGRAM_MODE': 'webhook', 'TELEGRAM_WEBHOOK_SECRET': SECRET}, 'PUBLIC_URL'),
    ({'TELEGRAM_MODE': 'push'}, 'TELEGRAM_MODE'),
    ({'TELEGRAM_WEBHOOK_SECRET': 'short'}, 'TELEGRAM_WEBHOOK_SECRET'),
    ({'TELEGRAM_POLL_TIMEOUT': 'soon'}, 'TELEGRAM_POLL_TIMEOUT'),
    ({'TELEGRAM_API_URL': 'api.telegram.org'}, 'TELEGRAM_API_URL'),
])
def test_settings_that_cannot_work_are_refused_at_start(env: dict[str, str], complaint: str, app_env: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('TELEGRAM_BOT_TOKEN', '1:abc')
    monkeypatch.delenv('PUBLIC_URL', raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=complaint):
        load_settings()
