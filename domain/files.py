"""Files on messages: limits checked before anything is stored, contents kept on disk, downloads permission-checked."""

from __future__ import annotations

import asyncio
import mimetypes
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from domain import access, permissions
from domain.errors import InvalidInput, NotFound
from domain.text import storable
from storage.files import FileStore
from storage.rows import AttachmentRow, MessageRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

MB = 1024 * 1024
DEFAULT_TYPES = frozenset({
    'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain', 'text/csv',
    'application/zip', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/msword',
    'application/vnd.ms-excel', 'application/vnd.oasis.opendocument.text',
})
MAX_FILES = 10


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    content_type: str = ''

    @property
    def kind(self) -> str:
        """The type by the file's name; the browser's claim only when the name says nothing."""
        guessed, _encoding = mimetypes.guess_type(self.filename)
        return guessed or self.content_type or 'application/octet-stream'


@dataclass(frozen=True)
class FileLimits:
    max_bytes: int = 10 * MB
    types: frozenset[str] = field(default_factory=lambda: DEFAULT_TYPES)


@dataclass(frozen=True)
class Saved:
    upload: Upload
    storage_name: str
    sha256: str


class FileService:
    def __init__(self, uow: UnitOfWorkFactory, store: FileStore, limits: FileLimits) -> None:
        self.uow = uow
        self.store = store
        self.limits = limits

    def check(self, uploads: Sequence[Upload]) -> None:
        """Refuse the whole message's files before anything is written, naming the file and the reason."""
        if len(uploads) > MAX_FILES:
            raise InvalidInput('At most {count} files per message.', field='files', count=MAX_FILES)
        for upload in uploads:
            name = upload.filename.strip() or '?'
            if len(upload.data) > self.limits.max_bytes:
                raise InvalidInput('"{name}" is larger than {limit} MB.', field='files', name=name,
                                   limit=round(self.limits.max_bytes / MB, 1))
            if not upload.data:
                raise InvalidInput('"{name}" is empty.', field='files', name=name)
            if upload.kind not in self.limits.types:
                raise InvalidInput('Files of type {type} are not accepted ("{name}").', field='files',
                                   type=upload.kind, name=name)

    @asynccontextmanager
    async def stored(self, uploads: Sequence[Upload]) -> AsyncIterator[list[Saved]]:
        """Write the files for a message being posted; if posting fails, they are removed again."""
        self.check(uploads)
        saved = [Saved(upload, *await asyncio.to_thread(self.store.save, upload.data)) for upload in uploads]
        try:
            yield saved
        except BaseException:
            for item in saved:
                await asyncio.to_thread(self.store.delete, item.storage_name)
            raise

    @staticmethod
    async def record(uow: UnitOfWork, saved: list[Saved], message: MessageRow, *, actor_id: int,
                     request_id: int) -> MessageRow:
        """Attach stored files to a message in the posting transaction; each goes on the timeline."""
        rows = []
        for item in saved:
            upload = item.upload
            name = Path(storable(upload.filename)).name[:255] or 'file'
            attachment_id = await uow.attachments.add(message_id=message.id, filename=name, content_type=upload.kind,
                                                      size=len(upload.data), storage_name=item.storage_name,
                                                      sha256=item.sha256)
            rows.append(AttachmentRow(attachment_id, message.id, name, upload.kind, len(upload.data), item.sha256))
            uow.events.add('file.attached', actor_id=actor_id, request_id=request_id, name=name,
                           attachment_id=attachment_id)
        return MessageRow(**{**message.__dict__, 'attachments': tuple(rows)}) if rows else message

    async def open(self, *, viewer_id: int | None, attachment_id: int, request_id: int | None = None,
                   queue_id: int | None = None) -> tuple[AttachmentRow, Path]:
        """The file for a download, if the viewer may read the conversation (and, for notes, is staff); with
        `request_id`, only a file of that request; with `queue_id`, only one in that queue (a chat widget's)."""
        async with self.uow() as uow:
            found = await uow.attachments.locate(attachment_id)
            viewer = await access.viewer(uow, viewer_id)
            if found is None:
                raise NotFound('This file does not exist.')
            attachment, storage_name, found_request_id, _conversation_id, counterpart_id, kind = found
            if request_id not in (None, found_request_id):
                raise NotFound('This file does not exist.')
            record = await uow.requests.record(found_request_id)
        allowed = record is not None and queue_id in (None, record.queue_id) and permissions.can_read(viewer, record) \
            and permissions.can_read_conversation(viewer, record, counterpart_id) \
            and (kind != 'note' or permissions.is_staff(viewer))
        if not allowed:
            raise NotFound('This file does not exist.')  # the same answer as for a missing one
        return attachment, self.store.path(storage_name)
