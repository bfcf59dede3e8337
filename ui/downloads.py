"""GET /files/{id}: a message's file, for whoever may read its conversation — the same check as the page."""

from __future__ import annotations

from fastapi import HTTPException
from fastapi.responses import FileResponse
from nicegui import app

from domain.desk import Desk
from domain.errors import NotFound

from .tab import SESSION


def register(desk: Desk) -> None:
    @app.get('/files/{attachment_id}', include_in_schema=False)
    async def download(attachment_id: int) -> FileResponse:
        user = await desk.accounts.session_user(app.storage.user.get(SESSION))
        try:
            attachment, path = await desk.files.open(viewer_id=user.id if user else None,
                                                     attachment_id=attachment_id)
        except NotFound as error:
            raise HTTPException(status_code=404, detail=error.message) from None
        return FileResponse(path, media_type=attachment.content_type, filename=attachment.filename,
                            content_disposition_type='inline' if attachment.is_image else 'attachment',
                            headers={'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, max-age=3600'})
