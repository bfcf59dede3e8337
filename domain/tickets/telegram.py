"""Telegram on the support desk: a chat's messages go into its customer's ticket, staff replies go back to the chat.

No HTTP here: channels/telegram*.py talks to the Bot API and calls these services with plain values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from domain import permissions
from domain.accounts.identities import IdentityService, OutsideIdentity
from domain.errors import ConstraintConflict, InvalidInput
from domain.files import FileService, Upload
from domain.tickets.support import SupportService
from storage.rows import MessageRow
from storage.unit_of_work import UnitOfWorkFactory

PROVIDER = 'telegram'  # the identities' provider, the requests' and events' channel, the cursor's name
SEND_JOB = 'telegram.send'  # one part of a staff message after the first (see queue_part)
TEXT_LIMIT = 4096  # Telegram's longest message, in UTF-16 code units
PHOTO_TYPES = frozenset({'image/jpeg', 'image/png', 'image/webp'})  # what sendPhoto shows inline; the rest as files


@dataclass(frozen=True)
class OutgoingFile:
    filename: str
    content_type: str
    path: Path

    @property
    def is_photo(self) -> bool:
        return self.content_type in PHOTO_TYPES


@dataclass(frozen=True)
class Outgoing:
    """A staff message on its way to a chat, in the parts Telegram takes one call each: text pieces, then files."""

    chat_id: str
    message_id: int
    parts: tuple[str | OutgoingFile, ...]


def external_ref(chat_id: int | str, message_id: int | str) -> str:
    return f'tg:{chat_id}:{message_id}'


class TelegramService:
    def __init__(self, uow: UnitOfWorkFactory, support: SupportService, identities: IdentityService,
                 files: FileService) -> None:
        self.uow = uow
        self.support = support
        self.identities = identities
        self.files = files

    async def intake(self, *, chat_id: int | str, from_name: str, text: str, message_ref: int | str,
                     attachments: Sequence[Upload] = (), username: str = '',
                     not_attached: Sequence[str] = ()) -> MessageRow | None:
        """Post a chat's message into its customer's open Support ticket, or a new one; None if posted before.

        The customer is found or created by the chat id. Files the desk does not accept (and `not_attached`
        ones the channel could not fetch) are named in the text instead, so the agent knows they were sent.
        """
        ref = external_ref(chat_id, message_ref)
        if await self._posted(ref):  # Telegram delivers again when it did not hear back in time
            return None
        customer = await self.identities.account(OutsideIdentity(
            PROVIDER, str(chat_id), username=username or from_name, display_name=from_name))
        accepted, refused = self._sorted(attachments)
        missing = [*refused, *not_attached]
        if missing:
            text = '\n\n'.join(part for part in (text.strip(), f'[Not attached: {"; ".join(missing)}]') if part)
        try:
            return await self.support.write(actor_id=customer.id, text=text, channel=PROVIDER, files=accepted,
                                            external_ref=ref, event_data={'telegram_chat': str(chat_id)})
        except ConstraintConflict:
            if await self._posted(ref):  # delivered twice at the same moment: the other one posted it
                return None
            raise

    def _sorted(self, attachments: Sequence[Upload]) -> tuple[list[Upload], list[str]]:
        accepted, refused = [], []
        for upload in attachments:
            try:
                self.files.check([upload])
            except InvalidInput as error:
                refused.append(error.message)
            else:
                accepted.append(upload)
        return accepted, refused

    async def _posted(self, ref: str) -> bool:
        async with self.uow() as uow:
            return await uow.conversations.external_exists(ref)

    async def outgoing(self, message_id: int) -> Outgoing | None:
        """What to send for a message, or None when it does not go to Telegram.

        Only a staff member's answer in the staff conversation of a ticket whose customer came from Telegram
        goes out; internal notes, system lines and the customer's own messages never do.
        """
        async with self.uow() as uow:
            message = await uow.conversations.message(message_id)
            if message is None or message.kind != 'text' or message.author_id is None:
                return None
            found = await uow.conversations.get(message.conversation_id)
            record = await uow.requests.record(found[0]) if found and found[1] is None else None
            if record is None or record.author_id == message.author_id:
                return None
            if not permissions.is_staff(await uow.users.get(message.author_id)):
                return None
            chat_id = next((row.subject for row in await uow.identities.of_user(record.author_id)
                            if row.provider == PROVIDER), None)
            if chat_id is None:
                return None
            files: list[str | OutgoingFile] = []
            for attachment in message.attachments:
                located = await uow.attachments.locate(attachment.id)
                if located is not None:
                    files.append(OutgoingFile(attachment.filename, attachment.content_type,
                                              self.files.store.path(located[1])))
        return Outgoing(chat_id, message.id, (*text_parts(message.body), *files))

    async def queue_part(self, *, message_id: int, part: int) -> None:
        """Queue the next part of a message once the one before reached the chat: each is sent once, in order."""
        async with self.uow(write=True) as uow:
            await uow.jobs.add(SEND_JOB, {'message_id': message_id, 'part': part},
                               dedup_key=f'{SEND_JOB}:{message_id}:{part}')
            await uow.commit()

    async def cursor(self) -> int:
        """The first update id not handled yet (0: take whatever Telegram still holds)."""
        async with self.uow() as uow:
            return await uow.cursors.get(PROVIDER) or 0

    async def advance(self, offset: int) -> None:
        """Every update before `offset` is handled: Telegram may forget them, a restart does not ask again."""
        async with self.uow(write=True) as uow:
            await uow.cursors.advance(PROVIDER, offset)
            await uow.commit()


def text_parts(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """`text` cut into pieces Telegram accepts, counted as Telegram counts (UTF-16 code units)."""
    parts, start, size = [], 0, 0
    for index, char in enumerate(text):
        width = 2 if ord(char) > 0xFFFF else 1
        if size + width > limit:
            parts.append(text[start:index])
            start, size = index, 0
        size += width
    if text[start:].strip():
        parts.append(text[start:])
    return parts
