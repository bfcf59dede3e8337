"""Pages of messages are written without pydantic: the same JSON as Page[MessageOut]'s, byte for byte."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from api import schemas_requests
from api.schemas import Page
from api.schemas_requests import MessageOut, messages_json
from domain.desk import Desk
from storage.rows import AttachmentRow, MessageRow
from tests.api.conftest import SignIn
from tests.factories import make_request, make_user

MESSAGES = [
    MessageRow(7, 2, 3, 'Мария', 'text', 'Ключ "от" офиса \\ <b>\n\U0001f600',
               datetime(2026, 12, 7, 8, 4, 16, 46365, tzinfo=UTC),
               (AttachmentRow(11, 7, 'vpn "log".txt', 'text/plain', 2048, 'ab' * 32),
                AttachmentRow(12, 7, 'photo.png', 'image/png', 1, 'cd' * 32))),
    MessageRow(8, 2, None, 'Telegram', 'note', 'VIP', datetime(2026, 1, 1, tzinfo=UTC)),
]


def _pydantic(messages: list[MessageRow], next_cursor: str | None) -> bytes:
    page = Page[MessageOut](items=[MessageOut.of(m) for m in messages], next_cursor=next_cursor)
    return page.model_dump_json().encode()


@pytest.mark.parametrize(('messages', 'next_cursor'), [(MESSAGES, None), (MESSAGES, 'abc_-1'), ([], None)])
def test_the_page_is_what_pydantic_writes(messages: list[MessageRow], next_cursor: str | None,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _pydantic(messages, next_cursor)
    assert messages_json(messages, next_cursor) == expected
    monkeypatch.setattr(schemas_requests, 'orjson', None)  # no orjson: pydantic writes it
    assert messages_json(messages, next_cursor) == expected


def test_every_field_of_a_message_is_one_of_the_schema() -> None:
    """A field added to the storage row would not go out: it must be added to MessageOut and messages_json."""
    assert [*MessageRow.__dataclass_fields__] == [*MessageOut.model_fields]


async def test_the_api_answers_a_ticket_thread_as_json(api: httpx.AsyncClient, api_desk: Desk,
                                                       signed_in: SignIn) -> None:
    _agent, headers = await signed_in('agent')
    request_id = await make_request(api_desk, await make_user(api_desk), title='Scanner jams')
    for text in ('On its way', 'Second'):
        assert (await api.post(f'/tickets/{request_id}/replies', json={'text': text}, headers=headers)).is_success
    response = await api.get(f'/tickets/{request_id}/messages', params={'limit': 1}, headers=headers)
    assert response.status_code == 200 and response.headers['content-type'] == 'application/json'
    page = Page[MessageOut].model_validate(json.loads(response.content))
    assert [m.body for m in page.items] == ['On its way'] and page.next_cursor is not None
