"""GET /api/v1/tickets writes its page without pydantic: the same JSON as TicketPage's, byte for byte."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from api import schemas_tickets
from api.schemas_tickets import StatusCountOut, TicketPage, TicketRowOut, page_json
from domain.desk import Desk
from domain.tickets.queues import StatusCount
from storage.rows import StatusRow
from storage.tickets import TicketListRow
from tests.api.conftest import SignIn
from tests.factories import make_request, make_user

ROWS = [
    TicketListRow(7, 'Ключ "от" офиса \\ <b>', 2, 'Support', 1, 'Open', 'open', 3, 'Мария', None, None, 'telegram',
                  datetime(2026, 12, 7, 8, 4, 16, 46365, tzinfo=UTC), datetime(2026, 12, 7, 9, 0, tzinfo=UTC), None),
    TicketListRow(8, 'Printer', 1, 'Board', 3, 'Closed', 'closed', 4, 'jane', 5, 'agent.x', 'web',
                  datetime(2025, 1, 2, 3, 4, 5, 600000, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC),
                  datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=UTC)),
]
COUNTS = [StatusCount(StatusRow(1, 'Open', 'open', 0), 1), StatusCount(StatusRow(3, 'Closed', 'closed', 2), 10_001)]


def _pydantic(rows: list[TicketListRow], next_cursor: str | None, counts: list[StatusCount] | None) -> bytes:
    page = TicketPage(items=[TicketRowOut.of(row) for row in rows], next_cursor=next_cursor,
                      counts=None if counts is None else [StatusCountOut.of(c) for c in counts])
    return page.model_dump_json().encode()


@pytest.mark.parametrize(('rows', 'next_cursor', 'counts'), [(ROWS, None, COUNTS), (ROWS, 'abc_-1', None),
                                                              ([], None, []), ([], None, None)])
def test_the_page_is_what_pydantic_writes(rows: list[TicketListRow], next_cursor: str | None,
                                          counts: list[StatusCount] | None, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _pydantic(rows, next_cursor, counts)
    assert page_json(rows, next_cursor, counts) == expected
    monkeypatch.setattr(schemas_tickets, 'orjson', None)  # no orjson: pydantic writes it
    assert page_json(rows, next_cursor, counts) == expected


def test_every_field_of_a_list_row_is_one_of_the_schema() -> None:
    """A field added to the storage row would go out unvalidated: it must be added to TicketRowOut first."""
    assert list(TicketListRow.__dataclass_fields__) == list(TicketRowOut.model_fields)


async def test_the_api_answers_the_page_as_json(api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    _agent, headers = await signed_in('agent')
    await make_request(api_desk, await make_user(api_desk), title='Scanner jams')
    response = await api.get('/tickets', params={'search': 'scanner'}, headers=headers)
    assert response.status_code == 200 and response.headers['content-type'] == 'application/json'
    page = TicketPage.model_validate(json.loads(response.content))
    assert [row.title for row in page.items] == ['Scanner jams'] and page.counts is not None
