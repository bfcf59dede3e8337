"""Every API operation is documented: a short summary, its error answers with an example, examples of its bodies.

The check walks the app's own OpenAPI document, so an operation added later is held to the same bar.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Any

import httpx
import pytest
from nicegui import core
from pydantic import BaseModel

import api
from api import PREFIX
from domain.desk import Desk
from tests.api.conftest import SignIn

SUMMARY_MAX = 60
ERROR_BODY = '#/components/schemas/ErrorBody'
GENERIC = {'413', '429'}  # every operation may get these, with the same example: they say nothing about it


@pytest.fixture
async def document(api_desk: Desk) -> dict[str, Any]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://test') as site:
        return (await site.get('/openapi.json')).json()


async def test_every_operation_has_a_summary_its_errors_and_examples(document: dict[str, Any]) -> None:
    missing: list[str] = []
    for path, operations in document['paths'].items():
        if not path.startswith(PREFIX):
            continue
        for method, operation in operations.items():
            label = f'{method.upper()} {path}'
            missing += [f'{label}: {gap}' for gap in _gaps(document, operation, _generated_summary(operation))]
    assert not missing, f'{len(missing)} gaps in the API docs:\n' + '\n'.join(missing)


async def test_every_answer_a_customer_an_agent_or_a_visitor_gets_is_documented(
        document: dict[str, Any], api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    """Each operation called with its own example on a customer's ticket, by the customer, an agent and nobody: the
    status that comes back is one the operation lists (Schemathesis covers an admin's calls in test_schema.py)."""
    customer, headers = await signed_in('customer')
    _agent, agent_headers = await signed_in('agent')
    await api_desk.support.write(actor_id=customer.id, text='My VPN drops every hour.')
    chat = await api_desk.support.chat(viewer_id=customer.id)
    ids = {'request_id': chat.open_ticket_id, 'ticket_id': chat.open_ticket_id,
           'conversation_id': chat.threads[-1].conversation_id, 'user_id': customer.id}
    undocumented: list[str] = []
    for path, operations in document['paths'].items():
        if not path.startswith(PREFIX):
            continue
        url = re.sub(r'{(\w+)}', lambda found: str(ids.get(found[1], 1)), path)
        for method, operation in operations.items():
            if _streams(operation):  # never ends; tests/api/test_events_auth.py checks its answers on a real server
                continue
            body = _example_body(document, operation)
            for who, sent in (('the customer', headers), ('an agent', agent_headers), ('nobody', {})):
                answer = await api.request(method.upper(), f'http://test{url}', headers=sent, **body)
                if str(answer.status_code) not in operation['responses']:
                    undocumented.append(f'{method.upper()} {path} by {who}: {answer.status_code} {answer.text[:200]}')
                if not sent and operation.get('security') and answer.status_code != 401:
                    undocumented.append(f'{method.upper()} {path} by nobody: {answer.status_code}, not 401')
    assert not undocumented, '\n'.join(undocumented)


def _streams(operation: dict[str, Any]) -> bool:
    return any('text/event-stream' in answer.get('content', {}) for status, answer in operation['responses'].items()
               if status.startswith('2'))


def _example_body(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    content = operation.get('requestBody', {}).get('content', {})
    if 'multipart/form-data' in content:
        return {'data': {'text': 'The log from this morning'},
                'files': [('files', ('vpn.log', b'dropped', 'text/plain'))]}
    if 'application/json' in content:
        return {'json': _resolved(document, content['application/json']['schema'])['examples'][0]}
    return {}


def test_a_gap_is_named() -> None:
    """The check itself finds what is missing: an operation with nothing documented fails on every count."""
    document = {'components': {'schemas': {'In': {'type': 'object'}, 'Out': {'type': 'object'}}}}
    def json(schema: dict[str, Any]) -> dict[str, Any]:
        return {'content': {'application/json': {'schema': schema}}}

    operation = {'summary': 'Do It', 'operationId': 'do_it_api_v1_things_post', 'security': [{'HTTPBearer': []}],
                 'requestBody': json({'$ref': '#/components/schemas/In'}),
                 'responses': {'200': json({'$ref': '#/components/schemas/Out'}), '422': json({'type': 'object'}),
                               '429': {'content': {'application/json': {'schema': {'$ref': ERROR_BODY},
                                                                         'example': {}}}}}}
    assert _gaps(document, operation, _generated_summary(operation)) == [
        'the summary is the function name; write one', 'no request body example', 'no example of its 200 answer',
        '422 is not in the error shape', 'no 401 with an example (it needs a token)',
        'no error answer with an example message']


def _gaps(document: dict[str, Any], operation: dict[str, Any], generated: str) -> list[str]:
    gaps = []
    summary = operation.get('summary', '')
    if not summary or summary == generated:
        gaps.append('the summary is the function name; write one')
    elif len(summary) > SUMMARY_MAX:
        gaps.append(f'the summary is longer than {SUMMARY_MAX} characters')
    for media, content in operation.get('requestBody', {}).get('content', {}).items():
        if not _has_example(document, content, media):
            gaps.append('no request body example')
    responses: dict[str, Any] = operation.get('responses', {})
    for status, answer in responses.items():
        for media, content in answer.get('content', {}).items():
            if status.startswith('2') and not _has_example(document, content, media):
                gaps.append(f'no example of its {status} answer')
            if status.startswith('4') and content.get('schema', {}).get('$ref') != ERROR_BODY:
                gaps.append(f'{status} is not in the error shape')
    exemplified = {status for status, answer in responses.items() if status.startswith('4')
                   and 'example' in answer.get('content', {}).get('application/json', {})}
    if operation.get('security') and '401' not in exemplified:
        gaps.append('no 401 with an example (it needs a token)')
    if not exemplified - GENERIC:
        gaps.append('no error answer with an example message')
    return gaps


def _has_example(document: dict[str, Any], content: dict[str, Any], media: str) -> bool:
    if 'example' in content or content.get('examples'):
        return True
    schema = _resolved(document, content.get('schema', {}))
    if _is_file(schema) or (schema.get('type') == 'array' and _is_file(_resolved(document, schema['items']))):
        return True  # a file: its bytes are the example
    if 'example' in schema or schema.get('examples'):
        return True
    if media == 'multipart/form-data':  # a form: each field shows what it takes
        fields = schema.get('properties', {}).values()
        return bool(fields) and all(_has_example(document, {'schema': field}, '') for field in fields)
    return False


def _is_file(schema: dict[str, Any]) -> bool:
    return schema.get('format') == 'binary' or 'contentMediaType' in schema


def _resolved(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while '$ref' in schema:
        schema = document['components']['schemas'][schema['$ref'].rsplit('/', 1)[-1]]
    return schema


def _generated_summary(operation: dict[str, Any]) -> str:
    """What FastAPI writes as the summary when none is given: the function's name, title-cased.

    The name is where FastAPI's operation id starts: the name, then the path (/api/v1/...), then the method.
    """
    name = operation.get('operationId', '').split('_' + PREFIX.strip('/').replace('/', '_'))[0]
    return name.replace('_', ' ').title()


def test_the_examples_keep_their_nulls(document: dict[str, Any]) -> None:
    """FastAPI drops nulls from the document; a request's example still shows `closed_at` and `assignee`."""
    schemas = document['components']['schemas']
    example = schemas['RequestOut']['examples'][0]
    assert example['closed_at'] is None and example['assignee'] is None
    assert schemas['TicketPage']['examples'][0]['next_cursor'] is None
    assert schemas['OrderOut']['examples'][0]['assignee_id'] is None
    assert schemas['SupportChatOut']['examples'][0]['tickets'][0]['messages'][0]['attachments'] == []
    assert 'field' not in schemas['ErrorDetail'].get('examples', [{}])[0]  # not required: left out, not null


def test_every_schema_example_is_valid() -> None:
    """An example the server would refuse (or could not give) teaches the wrong thing: each one passes its model."""
    checked = 0
    modules = [importlib.import_module(f'api.{found.name}') for found in pkgutil.iter_modules(api.__path__)
               if found.name.startswith('schemas')]
    for module in modules:
        for model in (item for _name, item in inspect.getmembers(module, inspect.isclass)
                      if issubclass(item, BaseModel) and item.__module__ == module.__name__):
            extra = model.model_config.get('json_schema_extra')
            for example in extra.get('examples', []) if isinstance(extra, dict) else []:
                model.model_validate(example)
                checked += 1
    assert checked >= 40
