"""Per-operation error examples for the OpenAPI document: which errors an operation gives, with a real message."""

from __future__ import annotations

from typing import Any

from .errors import DOMAIN_ERRORS, HTTP_CODES, RESPONSES

CODES = {status: code for _kind, status, code in reversed(DOMAIN_ERRORS)} | HTTP_CODES
# Stated outright rather than through `model`: FastAPI puts a model's schema under the route's own media type, and
# a CSV route's errors are JSON all the same.
ERROR_SCHEMA = {'$ref': '#/components/schemas/ErrorBody'}
Examples = dict[int, str | tuple[str, str]]

# What most operations share; the messages are the services' own.
SIGN_IN: Examples = {401: 'Sign in first: send an access token.'}
STAFF: Examples = SIGN_IN | {403: 'Only staff can work tickets.'}
QUEUE_STAFF: Examples = SIGN_IN | {403: 'Only staff can see queues and workflows.'}
QUEUE_ADMINS: Examples = SIGN_IN | {403: 'Only admins can change queues and workflows.'}
USER_ADMINS: Examples = SIGN_IN | {403: 'Only admins manage users.'}
NO_REQUEST: Examples = {404: 'This request does not exist.'}
NO_WORKFLOW: Examples = {404: 'This workflow does not exist.'}
NO_STATUS: Examples = {404: ('This status does not exist in the workflow.', 'status')}
NO_FILE: Examples = {404: 'This file does not exist.'}
NO_CONVERSATION: Examples = {404: 'This conversation does not exist.'}
NO_USER: Examples = {404: 'This user does not exist.'}
BLANK_TEXT: Examples = {422: ('text: String should match pattern \'[^\\s\\x00]\'', 'text')}
MOVE: Examples = {409: 'A request cannot move from "Closed" to "In progress".'}
WHO_MAY_MOVE: Examples = {403: 'Only the author or staff can change the status.'}
FILES: Examples = {400: 'Missing boundary in multipart.',
                   413: 'The request body is larger than 101.2 MB, the most this endpoint takes.',
                   422: ('Files of type application/x-msdownload are not accepted ("setup.exe").', 'files')}


def errors(examples: Examples) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status with an example error (message, or (message, field))."""
    documented: dict[int | str, dict[str, Any]] = {}
    for status, example in examples.items():
        message, field = example if isinstance(example, tuple) else (example, None)
        detail = {'code': CODES.get(status, 'refused'), 'message': message} | ({'field': field} if field else {})
        content = {'application/json': {'schema': ERROR_SCHEMA, 'example': {'error': detail}}}
        documented[status] = {'description': RESPONSES[status]['description'], 'content': content}
    return documented


def as_json(responses: dict[int | str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    """Shared `responses` for a route whose own answer is no JSON (a CSV, a file): the errors still are."""
    return {status: {'description': answer['description'],
                     'content': {'application/json': {**answer.get('content', {}).get('application/json', {}),
                                                      'schema': ERROR_SCHEMA}}}
            for status, answer in responses.items()}
