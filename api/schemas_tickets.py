"""Schemas for tickets in every queue: list rows with counts per status, filing, assignment."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

try:
    import orjson
except ImportError:  # NiceGUI installs it except on 32-bit x86 and PyPy
    orjson = None  # type: ignore[assignment]

from domain.requests.service import RequestView
from domain.tickets.queues import StatusCount
from storage.tickets import TicketListRow

from .schemas import USERNAME, Id, Input, Output, Page, example
from .schemas_requests import IN_PROGRESS, OPEN, REQUEST, Description, Kind, RequestOut, Title

DATE_TIME = re.compile(r'^\d{4}-\d{2}-\d{2}[Tt ]')


def _date_time(value: object) -> object:
    # Left to itself pydantic reads "0.5" as seconds since 1970 and "2026-12-01" as its midnight; the schema says
    # date-time, so the server does too.
    if isinstance(value, str) and not DATE_TIME.match(value):
        raise ValueError('must be an ISO 8601 date-time, e.g. 2026-12-01T09:00:00Z')
    return value


DateTime = Annotated[datetime, BeforeValidator(_date_time)]
Username = Annotated[str, Field(pattern=USERNAME, description='A username')]
UserFilter = Annotated[str, Field(min_length=1, max_length=32, pattern=r'^[\w.\-]+$')]
Channel = Annotated[str, Field(min_length=1, max_length=16, pattern=r'^[a-z]+$', examples=['telegram'])]
TICKET_ROW = {'id': 4, 'title': 'My VPN drops every hour.', 'queue_id': 2, 'queue': 'Support', 'status_id': 1,
              'status': 'Open', 'status_kind': 'open', 'customer_id': 2, 'customer': 'user', 'assignee_id': 1,
              'assignee': 'admin', 'channel': 'telegram', 'created_at': '2026-12-07T08:04:16.046365Z',
              'updated_at': '2026-12-07T08:04:16.167891Z', 'closed_at': None}


class TicketRowOut(Output):
    model_config = example(TICKET_ROW)
    id: int
    title: str
    queue_id: int
    queue: str
    status_id: int
    status: str
    status_kind: Kind
    customer_id: int
    customer: str
    assignee_id: int | None
    assignee: str | None
    channel: str = Field(examples=['telegram'])
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None

    @classmethod
    def of(cls, row: TicketListRow) -> TicketRowOut:
        return cls.model_validate(row)


class StatusCountOut(Output):
    model_config = example({'status_id': 1, 'name': 'Open', 'kind': 'open', 'count': 1})
    status_id: int
    name: str
    kind: Kind
    count: int = Field(description='Counted no further than 10,001: past that, narrow the filter')

    @classmethod
    def of(cls, found: StatusCount) -> StatusCountOut:
        return cls(status_id=found.status.id, name=found.status.name, kind=found.status.kind, count=found.count)


class TicketPage(Page[TicketRowOut]):
    model_config = example({'items': [TICKET_ROW], 'next_cursor': None, 'counts': [
        {'status_id': 1, 'name': 'Open', 'kind': 'open', 'count': 1},
        {'status_id': 2, 'name': 'In progress', 'kind': 'active', 'count': 0},
        {'status_id': 3, 'name': 'Closed', 'kind': 'closed', 'count': 0}]})
    counts: list[StatusCountOut] | None = Field(
        description='Per status of the queues looked at, with every filter but the status ones; on the first page '
                    'only (null when a cursor is passed)')


def page_json(rows: list[TicketListRow], next_cursor: str | None, counts: list[StatusCount] | None) -> bytes:
    """The list page as TicketPage serialises it, without validating what the service built: its rows are
    TicketListRow, field for field TicketRowOut, and orjson writes dataclasses and UTC times ("Z") as pydantic does.
    Validating and dumping 25 rows through pydantic took about a sixth of a list call's CPU.
    tests/api/test_tickets_page_json.py holds both ways to the same JSON."""
    if orjson is None:  # a platform without orjson's wheels: pydantic, as for every other answer
        return TicketPage(items=[TicketRowOut.of(row) for row in rows], next_cursor=next_cursor,
                          counts=None if counts is None else [StatusCountOut.of(found) for found in counts]
                          ).model_dump_json().encode()
    counted = None if counts is None else [
        {'status_id': found.status.id, 'name': found.status.name, 'kind': found.status.kind, 'count': found.count}
        for found in counts]
    return orjson.dumps({'items': rows, 'next_cursor': next_cursor, 'counts': counted}, option=orjson.OPT_UTC_Z)


class TicketIn(Input):
    model_config = example({'queue_id': 4, 'title': 'Parental leave from March', 'text': 'Which form do I fill in?'})
    queue_id: Id
    title: Title
    text: Description = Field('', description='What it is about; in a support desk also its first message')
    customer: Id | Username | None = Field(None, description="Staff only: file it for this customer (id or username)")


class TicketOut(RequestOut):
    model_config = example(REQUEST | {'id': 4, 'title': 'My VPN drops every hour.', 'description': '',
                                      'queue': 'Support', 'visibility': 'private', 'channel': 'telegram',
                                      'status': IN_PROGRESS, 'next_statuses': [OPEN], 'assignee_id': 3,
                                      'assignee': 'agent.x', 'is_author': False, 'queue_id': 2})
    queue_id: int

    @classmethod
    def of(cls, view: RequestView) -> TicketOut:  # type: ignore[override]
        return cls(**RequestOut.of(view).model_dump(), queue_id=view.request.queue_id)


class AssignIn(Input):
    model_config = example({'assignee': 'agent.x'})
    assignee: Id | Username | Literal['me'] | None = Field(
        description='A staff member by id or username, or "me"; null to unassign')
