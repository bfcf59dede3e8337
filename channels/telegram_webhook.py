"""Telegram's webhook mode: the route Telegram pushes updates to, and telling Telegram where that route is."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import logging

from fastapi import FastAPI, Request
from starlette.responses import Response

from domain.jobs.worker import backoff

from .telegram_api import BotApi, TelegramRefused, TelegramUnavailable
from .telegram_intake import PASSING_TROUBLE, Intake

log = logging.getLogger(__name__)
SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token'


def webhook_path(secret: str) -> str:
    # A digest of the secret, not the secret: request logs show paths, and the header must stay unguessable.
    return f'/telegram/webhook/{hashlib.sha256(secret.encode()).hexdigest()[:32]}'


def register_webhook(app: FastAPI, intake: Intake, secret: str) -> None:
    """POST /telegram/webhook/<digest>: Telegram's pushes, each checked for the secret header."""
    @app.post(webhook_path(secret), include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, '').encode(), secret.encode()):
            return Response(status_code=403)
        try:
            update = await request.json()
        except ValueError:
            return Response(status_code=400)
        if not isinstance(update, dict):
            return Response(status_code=400)
        try:
            await intake.receive(update)
        except PASSING_TROUBLE as error:  # Telegram sends it again later
            log.warning('Telegram update %s not handled yet: %s', update.get('update_id'), error)
            return Response(status_code=503)
        return Response(status_code=200)


class WebhookRegistration:
    """Tells Telegram where to push updates, once per start, trying again while Telegram is away."""

    def __init__(self, api: BotApi, url: str, secret: str, *, backoff_base: float = 1.0,
                 backoff_cap: float = 300.0) -> None:
        self.api, self.url, self.secret = api, url, secret
        self.backoff_base, self.backoff_cap = backoff_base, backoff_cap
        self._task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        for attempt in itertools.count(1):
            try:
                await self.api.set_webhook(self.url, self.secret)
                return
            except TelegramRefused as error:  # a URL Telegram will not call (not https, bad port): say so once
                log.error('Telegram refused the webhook %s: %s', self.url, error)
                return
            except TelegramUnavailable as error:
                delay = backoff(attempt, base=self.backoff_base, cap=self.backoff_cap)
                log.warning('setting the Telegram webhook failed (%s); trying again in %.1f s', error, delay)
                await asyncio.sleep(delay)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self.run(), name='telegram-webhook')

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
