"""Who may read, respond and change status: every role against own and others' requests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain import permissions
from storage.rows import RequestRecord, UserRow

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def a_user(user_id: int, role: str = 'customer', *, active: bool = True) -> UserRow:
    return UserRow(user_id, f'u{user_id}', f'User {user_id}', role, active, 1, None, None)


def a_request(*, author_id: int = 1, visibility: str = 'public', closed: bool = False) -> RequestRecord:
    return RequestRecord(7, 1, visibility, 1, 'Title', '', 1, author_id, 'User 1', None, 'web', 0, NOW, NOW,
                         NOW if closed else None)


@pytest.mark.parametrize('visibility, viewer, expected', [
    ('public', None, True),
    ('public', a_user(2), True),
    ('private', None, False),
    ('private', a_user(2), False),
    ('private', a_user(1), True),
    ('private', a_user(3, 'agent'), True),
    ('private', a_user(4, 'admin'), True),
])
def test_who_reads_a_request(visibility: str, viewer: UserRow | None, expected: bool) -> None:
    assert permissions.can_read(viewer, a_request(visibility=visibility)) is expected


@pytest.mark.parametrize('viewer, request_, expected', [
    (None, a_request(), False),
    (a_user(1), a_request(), False),  # the author does not respond to their own request
    (a_user(2), a_request(), True),
    (a_user(3, 'agent'), a_request(), True),
    (a_user(2, active=False), a_request(), False),
    (a_user(2), a_request(closed=True), False),
    (a_user(2), a_request(visibility='private'), False),
])
def test_who_responds_to_a_request(viewer: UserRow | None, request_: RequestRecord, expected: bool) -> None:
    assert permissions.can_respond(viewer, request_) is expected


@pytest.mark.parametrize('viewer, expected', [
    (None, False),
    (a_user(1), True),
    (a_user(2), False),
    (a_user(3, 'agent'), True),
    (a_user(4, 'admin'), True),
    (a_user(1, active=False), False),
])
def test_only_the_author_and_staff_change_the_status(viewer: UserRow | None, expected: bool) -> None:
    assert permissions.can_change_status(viewer, a_request()) is expected


def test_a_conversation_belongs_to_the_author_and_its_counterpart() -> None:
    request = a_request()
    assert permissions.can_take_part(a_user(1), request, counterpart_id=2)
    assert permissions.can_take_part(a_user(2), request, counterpart_id=2)
    assert not permissions.can_take_part(a_user(3), request, counterpart_id=2)
    assert not permissions.can_take_part(a_user(3, 'agent'), request, counterpart_id=2)
    assert permissions.can_read_conversation(a_user(3, 'agent'), request, counterpart_id=2)
    assert not permissions.can_read_conversation(a_user(3), request, counterpart_id=2)
    assert permissions.can_take_part(a_user(3, 'agent'), request, counterpart_id=None)
