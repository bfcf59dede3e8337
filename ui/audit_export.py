"""GET /admin/audit.csv: the filtered audit log as a CSV download, streamed, for the admin signed in in this browser.

The page's "Export CSV" button points here with its filters in the query (user, action, request, from, to); the
browser's session cookie says who asks, as for /files (ui/downloads.py), and the service checks they are an admin.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

from fastapi import HTTPException, Query
from fastapi.responses import StreamingResponse
from nicegui import app

from domain.audit import AuditQuery
from domain.desk import Desk
from domain.errors import InvalidInput, PermissionDenied

from .tab import SESSION


def register(desk: Desk) -> None:
    @app.get('/admin/audit.csv', include_in_schema=False)
    async def audit_csv(user: int | None = None, action: str = '',
                        request_id: int | None = Query(None, alias='request'),
                        date_from: str = Query('', alias='from'), date_to: str = Query('', alias='to')) \
            -> StreamingResponse:
        viewer = await desk.accounts.session_user(app.storage.user.get(SESSION))
        query = AuditQuery(user_id=user, kind=action, request_id=request_id, date_from=date_from, date_to=date_to)
        try:
            chunks = await desk.audit.export_csv(actor_id=viewer.id if viewer else None, query=query)
        except PermissionDenied as error:
            raise HTTPException(status_code=403, detail=error.message) from None
        except InvalidInput as error:
            raise HTTPException(status_code=400, detail=error.message) from None
        filename = f'audit-{datetime.now(UTC):%Y-%m-%d}.csv'
        return StreamingResponse(_encoded(chunks), media_type='text/csv; charset=utf-8',
                                 headers={'Content-Disposition': f'attachment; filename="{filename}"',
                                          'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff'})


async def _encoded(chunks: AsyncIterator[str]) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        yield chunk.encode()
