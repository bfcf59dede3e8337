"""/api/v1: post a message with files (multipart), and download a message's file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import FileResponse

from domain.files import MAX_FILES, Upload

from .deps import CurrentUser, DeskDep, IdPath
from .documented import FILES, NO_FILE, NO_REQUEST, SIGN_IN, errors
from .errors import COMMON, ApiRoute
from .schemas import MAX_ID
from .schemas_requests import MessageOut

router = APIRouter(tags=['files'], route_class=ApiRoute, responses=COMMON)
FILE = {'content': {'application/octet-stream': {'schema': {'type': 'string', 'format': 'binary'}},
                    '*/*': {'schema': {'type': 'string', 'format': 'binary'}}},
        'description': 'The file, with its own content type'}


@router.post('/requests/{request_id}/files', status_code=201, summary='Post a message with files',
             responses=errors(SIGN_IN | NO_REQUEST | FILES | {403: 'You cannot respond to this request.'}))
async def upload(request_id: IdPath, user: CurrentUser, desk: DeskDep,
                 files: Annotated[list[UploadFile], File(min_length=1, max_length=MAX_FILES,
                                                         description='One or more files')],
                 text: Annotated[str, Form(description='The message the files come with',
                                           examples=['The log from this morning'])] = '',
                 # A form field has no null: left out is "none", so the schema says integer, not integer-or-null.
                 conversation_id: Annotated[int, Form(  # noqa: RUF013
                     ge=1, le=MAX_ID, description='Write in this conversation; without it, respond',
                     examples=[1])] = None,
                 ) -> MessageOut:
    """Post a message with files in a conversation of the request (or respond with them); limits as on the page."""
    uploads = [Upload(file.filename or '', await _read(file, desk.files.limits.max_bytes), file.content_type or '')
               for file in files]
    message = await desk.conversations.post(actor_id=user.id, request_id=request_id, text=text,
                                            conversation_id=conversation_id, files=uploads)
    return MessageOut.of(message)


@router.get('/files/{attachment_id}', response_class=FileResponse, summary='Download a file',
            responses={200: FILE} | errors(SIGN_IN | NO_FILE))
async def download(attachment_id: IdPath, user: CurrentUser, desk: DeskDep) -> FileResponse:
    """A file of a message you may read."""
    attachment, path = await desk.files.open(viewer_id=user.id, attachment_id=attachment_id)
    return FileResponse(path, media_type=attachment.content_type, filename=attachment.filename,
                        headers={'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, max-age=3600'})


async def _read(file: UploadFile, max_bytes: int) -> bytes:
    # One byte past the limit is enough for the service to refuse the file; the rest is never held in memory.
    return await file.read(max_bytes + 1)
