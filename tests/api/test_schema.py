"""Every API operation, fed generated input by Schemathesis: never a 5xx, and every answer as the schema declares."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from domain.desk import Desk
from domain.files import Upload
from tests.api.conftest import SignIn
from tests.factories import make_request, make_user

EXAMPLES = 15  # per operation: every one is reached, and the run stays well under a minute per database
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]


async def test_every_operation_answers_as_documented(api: httpx.AsyncClient, api_desk: Desk,
                                                     signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    await _something_to_find(api_desk)
    document = (await api.get('http://test/openapi.json')).json()
    schema = schemathesis.openapi.from_dict(document).include(path_regex='^/api/')
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    loop = asyncio.get_running_loop()

    async def send(request: dict[str, Any]) -> httpx.Response:
        body: dict[str, Any] = {}
        if 'json' in request:
            body['json'] = request['json']
        data = request.get('data')
        if isinstance(data, bytes | str):
            body['content'] = data
        elif data is not None:
            body['data'] = {key: _text(value) for key, value in data.items()}
        if request.get('files') is not None:
            body['files'] = [(name, (part[0], _text(part[1]), *part[2:])) for name, part in request['files']]
        response = await api.request(request['method'], request['url'], headers=request['headers'],
                                     params=request.get('params'), **body)
        await response.request.aread()  # a multipart body streams; the checks read it again
        return response

    def fuzz(operation: Any) -> None:
        """Runs in a worker thread: Hypothesis drives it, while the app keeps serving on the test's event loop."""
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            request = case.as_transport_kwargs(base_url='http://test', headers=headers)
            response = asyncio.run_coroutine_threadsafe(send(request), loop).result(timeout=30)
            case.validate_response(response, checks=CHECKS, headers=request['headers'])
        check()

    for operation in operations:
        try:
            await asyncio.to_thread(fuzz, operation)
        except Exception as failure:
            pytest.fail(f'{operation.method.upper()} {operation.path}: {failure}', pytrace=False)


async def _something_to_find(desk: Desk) -> None:
    """A few rows with small ids, so generated ids sometimes name something."""
    author, responder = await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author)
    await desk.conversations.post(actor_id=responder.id, request_id=request_id, text='hello',
                                  files=[Upload('note.txt', b'some text')])
    await desk.support.write(actor_id=author.id, text='help me')


def _text(value: Any) -> str | bytes:
    """A multipart value as httpx takes it: requests, which Schemathesis prepares for, converts numbers itself."""
    return value if isinstance(value, str | bytes) else str(value)
