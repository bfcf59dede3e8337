"""The audit log: every action with who, what, when and on which request, filtered, paged and exported as CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import insert

from domain import audit
from domain.audit import AuditQuery, change
from domain.desk import Desk
from domain.errors import InvalidInput, NotSignedIn, PermissionDenied
from storage.models import Event
from storage.rows import UserRow
from tests.factories import make_request, make_user


async def logged(desk: Desk, kind: str, actor: UserRow, *, at: datetime, request_id: int | None = None,
                 **data: Any) -> None:
    """An event written at a chosen moment, as the services write them but with the time fixed."""
    async with desk.worker.uow(write=True) as uow:
        await uow.connection.execute(insert(Event).values(kind=kind, actor_id=actor.id, request_id=request_id,
                                                       channel='web', data=data, created_at=at))
        await uow.commit()


async def export(desk: Desk, admin: UserRow, query: AuditQuery) -> list[list[str]]:
    chunks = [chunk async for chunk in await desk.audit.export_csv(actor_id=admin.id, query=query)]
    text = ''.join(chunks)
    assert text.startswith('\ufeff')
    return list(csv.reader(io.StringIO(text[1:], newline='')))


async def test_actions_show_who_did_what_on_which_request_with_before_and_after(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    author = await make_user(desk)
    request_id = await make_request(desk, author, title='Printer on fire')
    progress = (await desk.requests.statuses())[1]
    await desk.requests.change_status(actor_id=author.id, request_id=request_id, status_id=progress.id)

    rows = (await desk.audit.page(actor_id=admin.id)).rows
    assert [row.kind for row in rows[:2]] == ['status.changed', 'request.created']  # newest first
    changed, created = rows[:2]
    assert (changed.actor, changed.request_id, changed.request_title, changed.channel) == \
        (author.display_name, request_id, 'Printer on fire', 'web')
    assert (changed.before, changed.after) == ('Open', 'In progress')
    assert (created.before, created.after, created.details) == (None, None, 'status=Open')
    assert not created.request_private


async def test_a_support_ticket_is_marked_private(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    customer = await make_user(desk)
    await desk.support.write(actor_id=customer.id, text='help')
    [opened] = (await desk.audit.page(actor_id=admin.id, query=AuditQuery(user_id=customer.id,
                                                                           kind='request.created'))).rows
    assert opened.request_private and opened.request_id is not None


async def test_each_filter_narrows_the_log(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    ann, bob = await make_user(desk), await make_user(desk)
    ann_request = await make_request(desk, ann)
    bob_request = await make_request(desk, bob)
    await desk.users.set_role(actor_id=admin.id, user_id=bob.id, role='agent')

    async def ids(query: AuditQuery) -> set[tuple[str, int | None]]:
        return {(row.kind, row.request_id) for row in (await desk.audit.page(actor_id=admin.id, query=query)).rows}

    assert await ids(AuditQuery(user_id=ann.id)) == {('user.registered', None), ('request.created', ann_request)}
    assert await ids(AuditQuery(kind='request.created')) == {('request.created', ann_request),
                                                             ('request.created', bob_request)}
    assert await ids(AuditQuery(request_id=bob_request)) == {('request.created', bob_request)}
    assert await ids(AuditQuery(user_id=ann.id, kind='user.role_changed')) == set()
    [role] = (await desk.audit.page(actor_id=admin.id, query=AuditQuery(kind='user.role_changed'))).rows
    assert (role.actor_id, role.before, role.after, role.details) == (admin.id, 'customer', 'agent',
                                                                      f'user={bob.username}')
    assert await desk.audit.kinds(actor_id=admin.id) == ['request.created', 'user.registered', 'user.role_changed']


async def test_dates_are_whole_utc_days_both_inclusive(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    for moment in ('2024-04-30T23:59:59', '2024-05-01T00:00:00', '2024-05-02T23:59:59', '2024-05-03T00:00:00'):
        await logged(desk, 'test.tick', admin, at=datetime.fromisoformat(moment).replace(tzinfo=UTC), at_=moment)

    async def moments(**dates: Any) -> list[str]:
        page = await desk.audit.page(actor_id=admin.id, query=AuditQuery(kind='test.tick', **dates))
        return [row.data['at_'] for row in page.rows]

    assert await moments(date_from='2024-05-01', date_to='2024-05-02') == ['2024-05-02T23:59:59',
                                                                          '2024-05-01T00:00:00']
    assert await moments(date_from=date(2024, 5, 2)) == ['2024-05-03T00:00:00', '2024-05-02T23:59:59']
    assert await moments(date_to=' 2024-04-30 ') == ['2024-04-30T23:59:59']
    assert await moments(date_from='2024-05-01', date_to='2024-05-01') == ['2024-05-01T00:00:00']


async def test_pages_follow_on_by_id_without_gaps_or_repeats(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    for number in range(7):
        await logged(desk, 'test.tick', admin, at=datetime.now(UTC), n=number)
    seen: list[int] = []
    before_id = None
    while True:
        page = await desk.audit.page(actor_id=admin.id, query=AuditQuery(kind='test.tick'), before_id=before_id,
                                     limit=3)
        seen += [row.data['n'] for row in page.rows]
        if not page.more:
            break
        before_id = page.rows[-1].id
    assert seen == [6, 5, 4, 3, 2, 1, 0]


async def test_only_admins_read_the_log(desk: Desk) -> None:
    agent = await make_user(desk, role='agent')
    for call in (desk.audit.page(actor_id=agent.id), desk.audit.kinds(actor_id=agent.id),
                 desk.audit.export_csv(actor_id=agent.id)):
        with pytest.raises(PermissionDenied, match=r'Only admins see the audit log\.'):
            await call
    with pytest.raises(NotSignedIn):
        await desk.audit.page(actor_id=None)


async def test_bad_filters_are_refused_naming_the_field(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    cases = [(AuditQuery(date_from='yesterday'), 'date_from', 'Enter a date as YYYY-MM-DD.'),
             (AuditQuery(date_to='2024-02-30'), 'date_to', 'Enter a date as YYYY-MM-DD.'),
             (AuditQuery(date_from='2024-05-02', date_to='2024-05-01'), 'date_to',
              'The start date is after the end date.'),
             (AuditQuery(request_id=0), 'request_id', 'A request number is a whole number above zero.')]
    for query, field, message in cases:
        with pytest.raises(InvalidInput) as raised:
            await desk.audit.page(actor_id=admin.id, query=query)
        assert (raised.value.field, raised.value.message) == (field, message)
        with pytest.raises(InvalidInput):  # before a single line of the download is sent
            await desk.audit.export_csv(actor_id=admin.id, query=query)


async def test_the_csv_holds_the_filtered_rows_with_before_after_and_awkward_titles_intact(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    author = await make_user(desk)
    title = 'Desk, "big" one\nsecond line'
    request_id = await make_request(desk, author, title=title)
    formula = await make_request(desk, author, title='=HYPERLINK("http://x")')
    progress = (await desk.requests.statuses())[1]
    await desk.requests.change_status(actor_id=author.id, request_id=request_id, status_id=progress.id)

    header, *rows = await export(desk, admin, AuditQuery(user_id=author.id))
    assert header == list(audit.CSV_HEADER)
    assert [row[3] for row in rows] == ['status.changed', 'request.created', 'request.created', 'user.registered']
    changed = rows[0]
    assert changed[2] == author.username and changed[4] == str(request_id) and changed[5] == title
    assert (changed[6], changed[7], changed[8]) == ('web', 'Open', 'In progress')
    assert json.loads(changed[9]) == {'from': 'Open', 'to': 'In progress'}
    assert datetime.fromisoformat(changed[1]).utcoffset() is not None
    assert rows[1][4] == str(formula) and rows[1][5] == '\'=HYPERLINK("http://x")'  # stays text in a spreadsheet
    assert rows[3][4] == rows[3][5] == ''

    _header, *narrowed = await export(desk, admin, AuditQuery(request_id=request_id, kind='status.changed'))
    assert [row[0] for row in narrowed] == [changed[0]]


async def test_a_big_export_is_read_in_batches(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = await make_user(desk, role='admin')
    for number in range(5):
        await logged(desk, 'test.tick', admin, at=datetime.now(UTC), n=number)
    monkeypatch.setattr(audit, 'BATCH', 2)
    chunks = [chunk async for chunk in await desk.audit.export_csv(actor_id=admin.id,
                                                                    query=AuditQuery(kind='test.tick'))]
    assert len(chunks) == 1 + 3  # the header, then 2 + 2 + 1 rows
    rows = list(csv.reader(io.StringIO(''.join(chunks)[1:], newline='')))[1:]
    assert [json.loads(row[9])['n'] for row in rows] == [4, 3, 2, 1, 0]


def test_before_and_after_are_read_from_each_shape_events_record() -> None:
    assert change({'from': None, 'to': 'Ann'}) == ('', 'Ann', {})
    assert change({'from': 'agent', 'to': 'admin', 'user_id': 7}) == ('agent', 'admin', {'user_id': 7})
    assert change({'queue_id': 3, 'name': 'Help', 'visibility': 'public', 'was': {'name': 'Support',
                                                                                    'visibility': 'public'}}) == \
        ('name=Support', 'name=Help', {'queue_id': 3})
    assert change({'status_id': 4, 'name': 'Doing', 'was': 'In progress'}) == ('In progress', 'Doing',
                                                                              {'status_id': 4})
    rule = {'name': 'VIP', 'enabled': True, 'trigger': 'request.created'}
    assert change({'rule_id': 1, 'before': rule, 'after': {**rule, 'enabled': False}}) == \
        ('enabled=true', 'enabled=false', {'rule_id': 1})
    assert change({'rule_id': 1, 'before': None, 'after': {'name': 'VIP'}}) == ('', 'name=VIP', {'rule_id': 1})
    assert change({'name': 'Printer', 'attachment_id': 2}) == (None, None, {'name': 'Printer', 'attachment_id': 2})
    assert audit.pairs({'order': ['Open', 'Closed'], 'moved_to': None}) == 'order=["Open","Closed"], moved_to='


async def test_the_actor_may_be_named_by_username(desk: Desk) -> None:
    admin, someone = await make_user(desk, role='admin'), await make_user(desk)
    at = datetime(2024, 5, 1, 12, tzinfo=UTC)
    await logged(desk, 'named.kind', someone, at=at)
    await logged(desk, 'named.kind', admin, at=at)
    page = await desk.audit.page(actor_id=admin.id, query=AuditQuery(kind='named.kind',
                                                                     username=someone.username.upper()))
    assert [row.actor_id for row in page.rows] == [someone.id]
    rows = await export(desk, admin, AuditQuery(kind='named.kind', username=someone.username))
    assert [row[2] for row in rows[1:]] == [someone.username]
    with pytest.raises(InvalidInput) as refused:
        await desk.audit.page(actor_id=admin.id, query=AuditQuery(username='nobody.here'))
    assert (refused.value.field, refused.value.template) == ('actor', 'There is no user "{name}".')
