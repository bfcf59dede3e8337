"""Every API operation, fed generated input by Schemathesis: never a 5xx, and the schema and the server agree.

Positive cases (what the schema allows) must not be refused as invalid, negative ones (what it forbids) must be,
a method the schema does not list must be a 405 naming every one it does, and every answer is as documented.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation.hypothesis.builder import HypothesisTestConfig, HypothesisTestMode, create_test
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from api.schemas import MAX_ID
from domain.desk import Desk
from domain.files import Upload
from tests.api.conftest import SignIn
from tests.factories import make_request, make_user

EXAMPLES = 15  # generated per operation and mode, besides the coverage cases: the run stays well under a minute
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, negative_data_rejection, positive_data_acceptance, unsupported_method,
          allow_header_conformance]
MODES = [HypothesisTestMode.EXAMPLES, HypothesisTestMode.COVERAGE, HypothesisTestMode.FUZZING]
ACCEPTANCE = 'Schema-valid request rejected'
# Refusals of schema-valid input that depend on stored state or on file contents: (operation, status, field).
RULES = {
    ('POST /api/v1/auth/token', 400, ''),  # wrong credentials: OAuth 2.0's invalid_grant is a 400
    ('DELETE /api/v1/statuses/{status_id}', 422, 'move_to'),  # a status of the same workflow
    ('PUT /api/v1/requests/{request_id}/assignee', 422, 'assignee_id'),  # an active agent or admin
    ('PUT /api/v1/workflows/{workflow_id}/transitions', 422, 'transitions'),  # two statuses of it, not one twice
    ('PUT /api/v1/queues/{queue_id}', 422, 'name'),  # the built-in queues keep their names
    ('PUT /api/v1/auth/me/notifications', 422, 'email'),  # any event needs an address
    ('POST /api/v1/requests/{request_id}/files', 422, 'files'),  # not empty, and of an accepted type
    ('POST /api/v1/tickets/{ticket_id}/assign', 422, 'assignee'),  # an active agent or admin
    ('POST /api/v1/tickets/{ticket_id}/files', 422, 'files'),  # not empty, and of an accepted type
    ('POST /api/v1/webhooks', 422, 'url'),  # a host that resolves, to public addresses (unless the server allows)
    ('PATCH /api/v1/webhooks/{endpoint_id}', 422, 'url'),
    ('POST /api/v1/webhooks', 422, 'events'),  # at least one, with the page's message
    ('PATCH /api/v1/webhooks/{endpoint_id}', 422, 'events'),
    ('POST /api/v1/webhooks', 422, 'secret'),  # 16-128 printable ASCII characters, with the page's message
    ('PATCH /api/v1/webhooks/{endpoint_id}', 422, 'secret'),
}
# A widget's queue must be a private one, and each origin a real host name or address (more than a pattern says).
RULES |= {(f'{method} /api/v1/widgets{path}', 422, field) for method, path in (('POST', ''), ('PUT', '/{widget_id}'))
          for field in ('queue_id', 'origins')}
# Rules name queues, statuses and users that exist, and their parts must fit together (a timed rule, one duration).
RULE_OPERATIONS = {'POST /api/v1/rules', 'PATCH /api/v1/rules/{rule_id}', 'POST /api/v1/rules/order'}
RULE_FIELDS = re.compile(r'name|conditions|actions|rule_ids|(condition|action)-\d+')
# The audit's dates must be days of the calendar; a username must be someone's (the one actor_id names, if given).
RULES |= {(f'GET /api/v1/{path}', 422, field) for path in ('audit', 'audit.csv') for field in ('actor', 'date_from',
                                                                                             'date_to')}
ORDER_FIELDS = {'title', 'description', 'items', 'fields'}


async def test_every_operation_answers_as_documented(api: httpx.AsyncClient, api_desk: Desk,
                                                     signed_in: SignIn) -> None:
    _admin, headers = await signed_in('admin')
    await _something_to_find(api_desk)
    document = (await api.get('http://test/openapi.json')).json()
    schema = schemathesis.openapi.from_dict(document).include(path_regex='^/api/')
    # Every request carries the admin's token (below), so cases that leave the token out would not be what they say.
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                                    with_security_parameters=False)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    loop = asyncio.get_running_loop()
    mismatches: dict[str, str] = {}

    async def send(request: dict[str, Any]) -> httpx.Response:
        body: dict[str, Any] = {}
        if 'json' in request:
            body['json'] = request['json']
        data = request.get('data')
        if isinstance(data, bytes | str):
            body['content'] = data
        elif data is not None:  # a field without a value stays out, as requests (Schemathesis's own) leaves it
            body['data'] = {key: _text(value) for key, value in data.items() if value is not None}
        if request.get('files') is not None:
            body['files'] = [(name, (part[0], _text(part[1]), *part[2:])) for name, part in request['files']]
        response = await api.request(request['method'], request['url'], headers=request['headers'],
                                     params=request.get('params'), **body)
        await response.request.aread()  # a multipart body streams; the checks read it again
        return response

    def fuzz(operation: Any) -> None:
        """Runs in a worker thread: Hypothesis drives it, while the app keeps serving on the test's event loop."""
        def check(case: Any) -> None:
            request = case.as_transport_kwargs(base_url='http://test', headers=headers)
            if _beyond_ids([request.get('json'), request.get('data'), request.get('files')]):
                return  # Schemathesis's values next to 2**63 pass through floats and land past the maximum
            response = asyncio.run_coroutine_threadsafe(send(request), loop).result(timeout=30)
            try:
                case.validate_response(response, checks=CHECKS, headers=request['headers'])
            except (Failure, FailureGroup) as failure:  # every mismatch, not only the first one
                field = _error_field(response)
                sent = (f'{case.method} {response.request.url} {response.request.content[:300]!r} '
                        f'({getattr(case.meta.phase.data, "description", "")})')
                for title in _titles(failure):
                    if not (title == ACCEPTANCE and _rule_beyond_schema(operation.label, response.status_code, field)):
                        mismatches.setdefault(f'{operation.label}: {title} ({response.status_code} {field})', sent)

        config = HypothesisTestConfig(project=schema.config, modes=MODES, settings=settings(
            max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
            phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck)))
        create_test(operation=operation, test_func=check, config=config)()

    for operation in operations:
        await asyncio.to_thread(fuzz, operation)
    if mismatches:
        pytest.fail(f'{len(mismatches)} mismatches:\n' + '\n'.join(f'{key}\n    e.g. {example}'
                                                                    for key, example in sorted(mismatches.items())),
                    pytrace=False)


def _titles(failure: Failure | FailureGroup) -> list[str]:
    inner = failure.exceptions if isinstance(failure, FailureGroup) else [failure]
    return [str(getattr(error, 'title', '') or str(error).splitlines()[0]) for error in inner]


def _error_field(response: httpx.Response) -> str:
    """The field the server blamed; '' when none."""
    try:
        error = response.json().get('error')
    except (ValueError, AttributeError):
        return ''
    return str(error.get('field') or '') if isinstance(error, dict) else ''


def _rule_beyond_schema(label: str, status: int, field: str) -> bool:
    """Whether a refusal of schema-valid input is one of the rules no schema can state (RULES)."""
    if status == 422 and field == 'cursor':
        return True  # opaque: any string of its alphabet is well formed, only those handed out name a place
    if label == 'POST /api/v1/orders' and status == 422 and field not in ORDER_FIELDS and '.' not in field:
        return True  # `fields` keys are the Orders queue's own, which admins configure
    if label in RULE_OPERATIONS and status == 422 and RULE_FIELDS.fullmatch(field):
        return True
    return (label, status, field) in RULES


def _beyond_ids(value: object) -> bool:
    if isinstance(value, dict):
        return any(_beyond_ids(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_beyond_ids(item) for item in value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 30:  # a multipart number
        return int(value) > MAX_ID
    return isinstance(value, int) and value > MAX_ID


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


def test_the_schemas_choices_are_the_domains() -> None:
    from typing import get_args

    from api.schemas import NotifyEvent, Role
    from api.schemas_admin import Visibility
    from api.schemas_requests import Kind
    from domain.jobs.preferences import NOTIFY_EVENTS
    from domain.permissions import ROLES
    from domain.queues.checks import KINDS, VISIBILITIES
    assert (get_args(Role), get_args(Kind), get_args(Visibility), get_args(NotifyEvent)) == \
           (ROLES, KINDS, VISIBILITIES, NOTIFY_EVENTS)
