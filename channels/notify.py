"""Email and Slack notifications, turned on by their settings: the senders' job handlers and the event followers."""

from __future__ import annotations

from fastapi import FastAPI

from domain.desk import Desk
from domain.jobs.notifications import Outlets, follow_notifications
from domain.widgets.offline import follow_offline_replies
from settings import Settings

from . import email, slack


def install_notifications(app: FastAPI, desk: Desk, settings: Settings) -> None:
    """Handle 'email.send' with SMTP_HOST set, 'slack.post' with SLACK_WEBHOOK_URL; follow events with either."""
    mailer = email.EmailChannel(settings.smtp) if settings.smtp else None
    poster = slack.SlackChannel(settings.slack_webhook_url) if settings.slack_webhook_url else None
    if mailer is None and poster is None:
        return
    if mailer is not None:
        desk.worker.handle(email.KIND, mailer.handle)
        follow_offline_replies(desk, language=settings.language)  # answers to widget visitors who have gone
    if poster is not None:
        desk.worker.handle(slack.KIND, poster.handle)
    follow_notifications(desk, Outlets(email=mailer is not None, slack=poster is not None,
                                       language=settings.language, public_url=settings.public_url))

    async def close() -> None:
        await desk.worker.stop()  # no handler may open a connection after this (the desk's own stop repeats it)
        for channel in (mailer, poster):
            if channel is not None:
                await channel.close()

    on_shutdown = getattr(app, 'on_shutdown', None)  # NiceGUI's app runs its own shutdown handlers
    if callable(on_shutdown):
        on_shutdown(close)
    else:
        app.router.on_shutdown.append(close)
