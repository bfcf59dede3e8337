"""/api/v1/audit: the audit log with the page's filters, newest first by cursor, and the same CSV (admins)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from domain.audit import AuditQuery

from . import pagination
from .deps import DEFAULT_LIMIT, CurrentUser, Cursor, DeskDep, Limit
from .documented import as_json, errors
from .errors import COMMON, ApiRoute
from .schemas import MAX_ID, USERNAME, Page
from .schemas_audit import AuditEntryOut, KindsOut

DAY = r'^\d{4}-\d{2}-\d{2}$'  # YYYY-MM-DD; the domain says which days exist, as it tells the page
router = APIRouter(prefix='/audit', tags=['audit'], route_class=ApiRoute, responses=COMMON)
ADMINS = {401: 'Sign in first: send an access token.', 403: 'Only admins see the audit log.'}
INVALID = {422: ('The start date is after the end date.', 'date_to')}
CSV_EXAMPLE = ('\ufeffid,time_utc,actor,action,request_id,request_title,channel,before,after,details\r\n'
               '4821,2026-01-05T09:30:00+00:00,admin,rule.created,,,api,,"name=Rule",{"rule_id": 7}\r\n')


class CsvResponse(StreamingResponse):
    media_type = 'text/csv'


def audit_query(
        actor_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description='Who did it, by id')] = None,
        actor: Annotated[str | None, Query(pattern=USERNAME, description='Who did it, by username (any case)')] = None,
        kind: Annotated[str | None, Query(max_length=32, description='One action, as GET /audit/kinds lists them',
                                          examples=['rule.created'])] = None,
        request_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description='On this request')] = None,
        date_from: Annotated[str | None, Query(pattern=DAY, description='From this UTC day, inclusive',
                                               examples=['2026-01-01'])] = None,
        date_to: Annotated[str | None, Query(pattern=DAY, description='To this UTC day, inclusive',
                                             examples=['2026-01-31'])] = None,
) -> AuditQuery:
    """The Audit log page's filters, as a query string gives them; the domain checks the dates, as for the page."""
    return AuditQuery(user_id=actor_id, kind=kind or '', request_id=request_id, date_from=date_from,
                      date_to=date_to, username=actor or '')


Filters = Annotated[AuditQuery, Depends(audit_query)]


@router.get('', summary='Read the audit log, newest first', responses=errors(ADMINS | INVALID))
async def list_audit(user: CurrentUser, desk: DeskDep, query: Filters, cursor: Cursor = None,
                     limit: Limit = DEFAULT_LIMIT) -> Page[AuditEntryOut]:
    """Every action that matches the filters, newest first; `next_cursor` goes on without gaps or repeats (admins)."""
    after = pagination.decode(cursor, int)
    found = await desk.audit.page(actor_id=user.id, query=query, before_id=after[0] if after else None, limit=limit)
    next_cursor = pagination.encode(found.rows[-1].id) if found.more else None
    return Page(items=[AuditEntryOut.model_validate(row) for row in found.rows], next_cursor=next_cursor)


@router.get('/kinds', summary='List the actions the log holds', responses=errors(ADMINS))
async def list_kinds(user: CurrentUser, desk: DeskDep) -> KindsOut:
    """Every action kind in the log, for the `kind` filter (admins)."""
    return KindsOut(kinds=await desk.audit.kinds(actor_id=user.id))


CSV = {200: {'description': 'The CSV the Audit log page exports, streamed (UTF-8 with a byte order mark)',
             'content': {'text/csv': {'schema': {'type': 'string'}, 'example': CSV_EXAMPLE}}}}


@router.get('.csv', summary='Export the audit log as CSV', response_class=CsvResponse,
            responses=CSV | as_json(COMMON) | errors(ADMINS | INVALID))
async def export_audit(user: CurrentUser, desk: DeskDep, query: Filters) -> CsvResponse:
    """The filtered log, newest first, as the page's "Export CSV" gives it; filters are checked first (admins)."""
    chunks = await desk.audit.export_csv(actor_id=user.id, query=query)
    filename = f'audit-{datetime.now(UTC):%Y-%m-%d}.csv'
    return CsvResponse(_encoded(chunks), media_type='text/csv; charset=utf-8',
                       headers={'Content-Disposition': f'attachment; filename="{filename}"',
                                'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff'})


async def _encoded(chunks: AsyncIterator[str]) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        yield chunk.encode()
