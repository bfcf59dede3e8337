"""Telegram updates into the desk: one update's message posted (with its files), and the long-poll loop.

Polling asks getUpdates from the offset stored in channel_cursors and stores the next offset once the whole
batch is handled, so a restart or an outage neither skips nor repeats an update (repeats are harmless anyway:
each message is posted once, by its Telegram id).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy.exc import DBAPIError

from domain.desk import Desk
from domain.errors import DomainError
from domain.files import MB, Upload
from domain.jobs.worker import backoff

from .telegram_api import BotApi, TelegramRefused, TelegramUnavailable

log = logging.getLogger(__name__)
# Worth retrying the whole batch for: Telegram or the database away. Anything else is this update's own problem.
PASSING_TROUBLE = (TelegramUnavailable, DBAPIError, OSError, TimeoutError)


@dataclass(frozen=True)
class Wanted:
    """A file a message carries, before it is downloaded."""

    file_id: str
    filename: str  # '' for photos: named after the path Telegram gives them
    content_type: str
    size: int


class Intake:
    """Turns Telegram updates into messages on the desk."""

    def __init__(self, desk: Desk, api: BotApi) -> None:
        self.desk = desk
        self.api = api

    async def receive(self, update: dict[str, Any]) -> None:
        """Post one update's message; updates without a customer's text or file are passed over.

        A refusal by the desk (a deactivated customer) skips the update; Telegram or the database being away
        raises, and the update comes again.
        """
        message = update.get('message')
        if not isinstance(message, dict) or not isinstance(message.get('chat'), dict):
            return
        try:
            chat, sender = message['chat'], message.get('from') or {}
            text = str(message.get('text') or message.get('caption') or '')
            wanted = _files(message)
            if sender.get('is_bot') or 'id' not in chat or not (text.strip() or wanted):
                return  # stickers, locations, service messages: nothing to answer
            if text.split(maxsplit=1)[:1] == ['/start'] and not wanted:
                return  # pressing "Start" opens the chat with the bot; the customer's question comes next
            uploads, not_attached = await self._download(wanted, message.get('message_id'))
            await self.desk.telegram.intake(chat_id=chat['id'], from_name=_name(chat), text=text,
                                            message_ref=message.get('message_id', update.get('update_id')),
                                            attachments=uploads, username=str(chat.get('username') or ''),
                                            not_attached=not_attached)
        except PASSING_TROUBLE:
            raise
        except DomainError as error:
            log.warning('Telegram update %s not posted: %s', update.get('update_id'), error.message)
        except Exception:  # a bug or a malformed update: retrying would stop every later update behind it
            log.exception('Telegram update %s could not be handled; skipped', update.get('update_id'))

    async def _download(self, wanted: list[Wanted], message_id: object) -> tuple[list[Upload], list[str]]:
        uploads, not_attached = [], []
        limit = self.desk.files.limits.max_bytes
        for item in wanted:
            name = item.filename or 'photo'
            if item.size > limit:  # not fetched at all: the desk would refuse it anyway
                not_attached.append(f'"{name}" is larger than {round(limit / MB, 1)} MB.')
                continue
            try:
                path, data = await self.api.download(item.file_id)
            except TelegramRefused as error:  # e.g. larger than the 20 MB bots may download
                not_attached.append(f'"{name}": {error}')
                continue
            filename = item.filename or f'photo-{message_id}{PurePosixPath(path).suffix or ".jpg"}'
            uploads.append(Upload(filename, data, item.content_type))
        return uploads, not_attached


def _files(message: dict[str, Any]) -> list[Wanted]:
    wanted = []
    photos = [photo for photo in message.get('photo') or () if isinstance(photo, dict) and photo.get('file_id')]
    if photos:  # Telegram sends each photo in several sizes: take the largest
        best = max(photos, key=lambda p: (int(p.get('width') or 0) * int(p.get('height') or 0),
                                          int(p.get('file_size') or 0)))
        wanted.append(Wanted(str(best['file_id']), '', 'image/jpeg', int(best.get('file_size') or 0)))
    document = message.get('document')
    if isinstance(document, dict) and document.get('file_id'):
        wanted.append(Wanted(str(document['file_id']), PurePosixPath(str(document.get('file_name') or 'file')).name,
                             str(document.get('mime_type') or ''), int(document.get('file_size') or 0)))
    return wanted


def _name(chat: dict[str, Any]) -> str:
    """Who writes, as Telegram names them: first and last name, a group's title, or the @username."""
    full = ' '.join(str(chat.get(key) or '').strip() for key in ('first_name', 'last_name')).strip()
    return full or str(chat.get('title') or '').strip() or str(chat.get('username') or '').strip()


class Poller:
    """The long-poll loop: one getUpdates at a time; while Telegram is away, waits longer each try (jittered)."""

    def __init__(self, intake: Intake, *, timeout: int = 30, backoff_base: float = 1.0,
                 backoff_cap: float = 60.0) -> None:
        self.intake = intake
        self.timeout = timeout  # seconds Telegram may hold a getUpdates before answering "nothing new"
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.failures = 0  # in a row; 0 while Telegram answers
        self._webhook_cleared = False
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._waiting: asyncio.Future[list[dict[str, Any]]] | None = None  # the getUpdates in flight

    async def poll_once(self) -> int:
        """Handle one batch of updates, then store the offset after it; returns how many came."""
        desk, api = self.intake.desk, self.intake.api
        if not self._webhook_cleared:  # getUpdates is refused while a webhook is set
            await api.delete_webhook()
            self._webhook_cleared = True
        self._waiting = asyncio.ensure_future(api.get_updates(offset=await desk.telegram.cursor(), hold=self.timeout))
        try:
            updates = await self._waiting
        finally:
            self._waiting = None
        for update in updates:
            await self.intake.receive(update)
        ids = [update['update_id'] for update in updates if isinstance(update.get('update_id'), int)]
        if ids:
            await desk.telegram.advance(max(ids) + 1)
        return len(updates)

    async def run(self) -> None:
        await self.intake.desk.database.ready()
        while not self._stopping.is_set():
            try:
                await self.poll_once()
                self.failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.failures += 1
                delay = backoff(self.failures, base=self.backoff_base, cap=self.backoff_cap)
                log.warning('Telegram polling failed (%s: %s); trying again in %.1f s', type(error).__name__, error,
                            delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), delay)

    def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.get_running_loop().create_task(self.run(), name='telegram-polling')

    async def stop(self) -> None:
        """End the loop between batches: only the wait for Telegram is cut short, never the desk's writes."""
        if self._task is None:
            return
        self._stopping.set()
        if self._waiting is not None:
            self._waiting.cancel()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=5)
        except (asyncio.CancelledError, TimeoutError):
            self._task.cancel()  # stuck on the database: stop anyway
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None
