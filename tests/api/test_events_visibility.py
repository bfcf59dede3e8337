"""Who sees which event of the log (domain/stream/visibility.py), role by role, with no database: notes only ever
reach staff, a private request only its author and staff, a public request's conversation only its two people."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.stream.shape import payload
from domain.stream.visibility import may_see
from storage.rows import UserRow
from storage.stream import StreamRow

AUTHOR, RESPONDER, BYSTANDER, AGENT = 1, 2, 3, 4


def user(user_id: int, role: str = 'customer') -> UserRow:
    return UserRow(user_id, f'user{user_id}', f'User {user_id}', role, True, 1, None, None)


def row(kind: str, *, visibility: str, message_kind: str | None = None, counterpart: int | None = None) -> StreamRow:
    return StreamRow(7, kind, 42, 3, visibility, AUTHOR, 'A title', 'web', AGENT, 'user4', {'message_id': 9},
                     datetime(2026, 12, 7, tzinfo=UTC), message_kind, 'the text', counterpart)


READERS = {'author': user(AUTHOR), 'responder': user(RESPONDER), 'bystander': user(BYSTANDER),
           'agent': user(AGENT, 'agent'), 'admin': user(5, 'admin')}
CASES = [  # the log row, then who sees it
    (row('request.created', visibility='private'), {'author', 'agent', 'admin'}),
    (row('status.changed', visibility='private'), {'author', 'agent', 'admin'}),
    (row('assigned', visibility='private'), {'author', 'agent', 'admin'}),
    (row('message.posted', visibility='private', message_kind='text'), {'author', 'agent', 'admin'}),
    (row('note.added', visibility='private', message_kind='note'), {'agent', 'admin'}),
    (row('message.posted', visibility='private', message_kind='note'), {'agent', 'admin'}),  # whatever the log says
    (row('request.created', visibility='public'), set(READERS)),
    (row('status.changed', visibility='public'), set(READERS)),
    (row('message.posted', visibility='public', message_kind='text', counterpart=RESPONDER),
     {'author', 'responder', 'agent', 'admin'}),
    (row('note.added', visibility='public', message_kind='note'), {'agent', 'admin'}),
]


IDS = [f'{logged.kind}-{logged.visibility}-{logged.message_kind}' for logged, _seen_by in CASES]


@pytest.mark.parametrize(('logged', 'seen_by'), CASES, ids=IDS)
def test_each_reader_sees_what_the_permissions_allow(logged: StreamRow, seen_by: set[str]) -> None:
    assert {name for name, reader in READERS.items() if may_see(reader, logged)} == seen_by


def test_the_shape_names_tickets_and_leaves_the_text_out_unless_asked() -> None:
    logged = row('message.posted', visibility='private', message_kind='text')
    shown = payload(logged, with_text=True)
    assert shown == {'id': 7, 'kind': 'message.posted', 'ticket_id': 42, 'queue_id': 3,
                     'created_at': '2026-12-07T00:00:00+00:00', 'actor': {'id': AGENT, 'username': 'user4'},
                     'data': {'message_id': 9, 'conversation_id': None, 'channel': 'web', 'text': 'the text'}}
    assert 'text' not in payload(logged, with_text=False)['data']
    assert payload(row('assigned', visibility='private'), with_text=True)['kind'] == 'ticket.assigned'
