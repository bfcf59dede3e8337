"""Staff answers to Telegram customers: each 'message.posted' is followed by a job that sends it to the chat.

A message goes out in parts (text pieces, then each file), one Bot API call each, in order: a part queues the
next only once it reached the chat, so a failure retries just that part and nothing already delivered is sent
twice (unless this process dies between Telegram's answer and the next part being queued).
"""

from __future__ import annotations

import asyncio

from domain.desk import Desk
from domain.jobs.worker import PermanentError
from domain.tickets.telegram import SEND_JOB, OutgoingFile
from storage.jobs import JobRow

from .telegram_api import BotApi

DELIVER_JOB = 'telegram.deliver'


class Outbound:
    def __init__(self, desk: Desk, api: BotApi) -> None:
        self.desk = desk
        self.api = api

    def follow(self) -> None:
        """Register the job handlers: the first part follows the event, the others follow each other."""
        self.desk.follow('message.posted', DELIVER_JOB, self.deliver)
        self.desk.worker.handle(SEND_JOB, self.send_part)

    async def deliver(self, job: JobRow) -> None:
        """The 'telegram.deliver' handler: payload of a 'message.posted' event."""
        message_id = (job.payload.get('data') or {}).get('message_id')
        if isinstance(message_id, int):
            await self._send(message_id, 0)

    async def send_part(self, job: JobRow) -> None:
        """The 'telegram.send' handler: payload {'message_id', 'part'}."""
        try:
            message_id, part = int(job.payload['message_id']), int(job.payload['part'])
        except (KeyError, TypeError, ValueError):
            raise PermanentError(f'bad payload: {job.payload!r}') from None
        await self._send(message_id, part)

    async def _send(self, message_id: int, part: int) -> None:
        # Re-read every time: a message whose ticket moved to a customer without Telegram is no longer sent.
        outgoing = await self.desk.telegram.outgoing(message_id)
        if outgoing is None or part >= len(outgoing.parts):
            return
        item = outgoing.parts[part]
        if isinstance(item, OutgoingFile):
            await self.api.send_file(outgoing.chat_id, photo=item.is_photo, filename=item.filename,
                                     data=await _contents(item), content_type=item.content_type)
        else:
            await self.api.send_message(outgoing.chat_id, item)
        if part + 1 < len(outgoing.parts):
            await self.desk.telegram.queue_part(message_id=message_id, part=part + 1)


async def _contents(item: OutgoingFile) -> bytes:
    try:
        return await asyncio.to_thread(item.path.read_bytes)
    except FileNotFoundError:
        raise PermanentError(f'the stored file of "{item.filename}" is gone') from None
