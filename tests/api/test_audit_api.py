"""The audit log through the API: the page's filters, cursor pages without gaps or repeats, and the page's CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import httpx
import pytest

from domain.audit import CSV_HEADER, AuditQuery
from domain.desk import Desk
from tests.api.conftest import SignIn
from tests.domain.test_audit import logged
from tests.factories import make_request, make_user, unique


async def test_pages_follow_on_newest_first_without_gaps_or_repeats(api: httpx.AsyncClient, api_desk: Desk,
                                                                     signed_in: SignIn) -> None:
    admin, headers = await signed_in('admin')
    kind = unique('paged.')[:32]
    for day in range(1, 8):
        await logged(api_desk, kind, admin, at=datetime(2024, 5, day, 12, tzinfo=UTC), n=day)
    seen, cursor = [], None
    while True:
        params = {'kind': kind, 'limit': 3} | ({'cursor': cursor} if cursor else {})
        page = (await api.get('/audit', params=params, headers=headers)).json()
        seen += [(item['id'], item['data']['n']) for item in page['items']]
        if (cursor := page['next_cursor']) is None:
            break
    assert [n for _id, n in seen] == [7, 6, 5, 4, 3, 2, 1]
    assert [item_id for item_id, _n in seen] == sorted({item_id for item_id, _n in seen}, reverse=True)


async def test_the_pages_filters_narrow_the_log(api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    admin, headers = await signed_in('admin')
    someone = await make_user(api_desk)
    request_id = await make_request(api_desk, someone)
    kind = unique('filtered.')[:32]
    await logged(api_desk, kind, someone, at=datetime(2024, 5, 1, 12, tzinfo=UTC), request_id=request_id)
    await logged(api_desk, kind, admin, at=datetime(2024, 5, 2, 12, tzinfo=UTC))
    await logged(api_desk, kind, admin, at=datetime(2024, 5, 3, 12, tzinfo=UTC))

    async def days(**params: str | int) -> list[int]:
        answer = await api.get('/audit', params={'kind': kind, **params}, headers=headers)
        assert answer.status_code == 200, answer.text
        return [datetime.fromisoformat(item['created_at']).day for item in answer.json()['items']]

    assert await days() == [3, 2, 1]
    assert await days(actor=someone.username.upper()) == [1]
    assert await days(actor_id=admin.id) == [3, 2]
    assert await days(request_id=request_id) == [1]
    assert await days(date_from='2024-05-02') == [3, 2]
    assert await days(date_from='2024-05-02', date_to='2024-05-02') == [2]
    [entry] = (await api.get('/audit', params={'kind': kind, 'request_id': request_id}, headers=headers)).json()[
        'items']
    assert (entry['actor_id'], entry['actor_username'], entry['request_id']) == (someone.id, someone.username,
                                                                                request_id)
    assert kind in (await api.get('/audit/kinds', headers=headers)).json()['kinds']


@pytest.mark.parametrize(('params', 'field', 'message'), [
    ({'date_from': '2024-05-03', 'date_to': '2024-05-01'}, 'date_to', 'The start date is after the end date.'),
    ({'date_from': '2024-13-01'}, 'date_from', 'Enter a date as YYYY-MM-DD.'),
    ({'actor': 'nobody.here'}, 'actor', 'There is no user "nobody.here".'),
    ({'cursor': 'bm90LW91cnM'}, 'cursor', 'This cursor was not handed out here; start again without one.'),
])
@pytest.mark.parametrize('path', ['/audit', '/audit.csv'])
async def test_bad_filters_get_the_pages_message_naming_the_field(api: httpx.AsyncClient, signed_in: SignIn,
                                                                  params: dict[str, str], field: str, message: str,
                                                                  path: str) -> None:
    _admin, headers = await signed_in('admin')
    if path == '/audit.csv' and field == 'cursor':
        return  # the export has no pages
    refused = await api.get(path, params=params, headers=headers)
    assert refused.status_code == 422
    assert refused.json()['error'] == {'code': 'invalid_input', 'field': field, 'message': message}


async def test_the_csv_is_the_pages_export_of_the_same_filters(api: httpx.AsyncClient, api_desk: Desk,
                                                               signed_in: SignIn) -> None:
    admin, headers = await signed_in('admin')
    kind = unique('csv.')[:32]
    await logged(api_desk, kind, admin, at=datetime(2024, 5, 1, 12, tzinfo=UTC), title='=SUM(A1)')
    await logged(api_desk, kind, admin, at=datetime(2024, 5, 2, 12, tzinfo=UTC), was='a, "b"', name='c')
    answer = await api.get('/audit.csv', params={'kind': kind}, headers=headers)
    assert answer.status_code == 200
    assert answer.headers['content-type'].startswith('text/csv')
    assert answer.headers['content-disposition'].startswith('attachment; filename="audit-')
    text = answer.content.decode()
    page_export = ''.join([chunk async for chunk in await api_desk.audit.export_csv(
        actor_id=admin.id, query=AuditQuery(kind=kind))])
    assert text == page_export and text.startswith('\ufeff')
    header, *rows = list(csv.reader(io.StringIO(text[1:], newline='')))
    assert tuple(header) == CSV_HEADER
    assert [(row[2], row[3], row[7], row[8]) for row in rows] == [(admin.username, kind, 'a, "b"', 'c'),
                                                                  (admin.username, kind, '', '')]
    assert '"title": "=SUM(A1)"' in rows[1][9]


OPERATIONS = ['/audit', '/audit/kinds', '/audit.csv']


@pytest.mark.parametrize('role', ['visitor', 'customer', 'agent', 'admin'])
@pytest.mark.parametrize('path', OPERATIONS)
async def test_only_admins_read_the_log(api: httpx.AsyncClient, signed_in: SignIn, role: str, path: str) -> None:
    headers = {} if role == 'visitor' else (await signed_in(role))[1]
    answer = await api.get(path, headers=headers)
    assert answer.status_code == {'visitor': 401, 'customer': 403, 'agent': 403, 'admin': 200}[role], answer.text
    if role in ('customer', 'agent'):
        assert answer.json()['error']['message'] == 'Only admins see the audit log.'


async def test_every_new_operation_has_a_summary_its_errors_and_an_example(api: httpx.AsyncClient) -> None:
    document = (await api.get('http://test/openapi.json')).json()
    operations = [(path, method, operation) for path, methods in document['paths'].items()
                  if path.startswith(('/api/v1/rules', '/api/v1/audit')) for method, operation in methods.items()]
    assert len(operations) == 11
    for path, method, operation in operations:
        assert operation.get('summary'), (method, path)
        refusals = {status: answer for status, answer in operation['responses'].items() if status in ('401', '403')}
        assert all('example' in answer['content']['application/json'] for answer in refusals.values()), (method, path)
        body = operation.get('requestBody', {}).get('content', {}).get('application/json', {}).get('schema')
        if body:  # the body's schema carries an example (the Telegram rule for POST /rules)
            name = body['$ref'].rsplit('/', 1)[-1]
            assert document['components']['schemas'][name].get('examples'), (method, path)
    create = document['paths']['/api/v1/rules']['post']['requestBody']['content']['application/json']['schema']
    assert document['components']['schemas'][create['$ref'].rsplit('/', 1)[-1]]['examples'][0]['actions'] == \
           [{'type': 'assign', 'user': 'agent.x'}]
