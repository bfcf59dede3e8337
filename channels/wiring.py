"""The outside channels a start of the app turns on, each from its settings: job handlers and intake."""

from __future__ import annotations

from fastapi import FastAPI

from domain.desk import Desk
from settings import Settings

from . import telegram, webhooks
from .notify import install_notifications


def install_channels(app: FastAPI, desk: Desk, settings: Settings) -> None:
    """Register each configured channel's job handlers on the desk's worker and its intake on the app."""
    install_notifications(app, desk, settings)  # email (SMTP_HOST) and Slack (SLACK_WEBHOOK_URL)
    telegram.install(app, desk, settings)  # the Support bot (TELEGRAM_BOT_TOKEN): polling or webhook, replies
    webhooks.install(app, desk, settings)  # outgoing webhooks admins register (Admin -> Webhooks)
