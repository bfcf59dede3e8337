"""The Telegram channel: a bot for the Support queue, fed by long polling (default) or a webhook.

A customer's message in a chat goes to their ticket (channels/telegram_intake.py, or telegram_webhook.py when
Telegram pushes); staff answers go back through jobs (telegram_outbound.py); telegram_api.py speaks HTTP.
"""

from __future__ import annotations

from fastapi import FastAPI

from domain.desk import Desk
from settings import Settings

from .telegram_api import BotApi
from .telegram_intake import Intake, Poller
from .telegram_outbound import Outbound
from .telegram_webhook import WebhookRegistration, register_webhook, webhook_path


def install(app: FastAPI, desk: Desk, settings: Settings) -> None:
    """With TELEGRAM_BOT_TOKEN set: replies go out through jobs, and updates come in by polling or webhook."""
    token = settings.telegram_bot_token
    if not token:
        return
    api = BotApi(token, settings.telegram_api_url)
    Outbound(desk, api).follow()
    intake = Intake(desk, api)
    background: Poller | WebhookRegistration
    if settings.telegram_mode == 'webhook':
        secret = settings.telegram_webhook_secret or ''
        register_webhook(app, intake, secret)
        background = WebhookRegistration(api, f'{settings.public_url}{webhook_path(secret)}', secret)
    else:
        background = Poller(intake, timeout=settings.telegram_poll_timeout)

    async def stop() -> None:
        await background.stop()
        await api.aclose()

    if callable(getattr(app, 'on_startup', None)):
        # NiceGUI's app (main.py) runs its start hooks one after another without a pause, so the task begun here
        # first runs once main's own hook has started the desk.
        app.on_startup(background.start)  # type: ignore[attr-defined]
        app.on_shutdown(stop)  # type: ignore[attr-defined]
    else:  # a bare FastAPI app
        app.router.on_startup.append(background.start)
        app.router.on_shutdown.append(stop)
