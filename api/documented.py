"""Per-operation error examples for the OpenAPI document: which errors an operation gives, with a real message."""

from __future__ import annotations

from typing import Any

from .errors import DOMAIN_ERRORS, HTTP_CODES, RESPONSES

CODES = {status: code for _kind, status, code in reversed(DOMAIN_ERRORS)} | HTTP_CODES


def errors(examples: dict[int, str | tuple[str, str]]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status with an example error (message, or (message, field))."""
    documented: dict[int | str, dict[str, Any]] = {}
    for status, example in examples.items():
        message, field = example if isinstance(example, tuple) else (example, None)
        detail = {'code': CODES.get(status, 'refused'), 'message': message} | ({'field': field} if field else {})
        documented[status] = {**RESPONSES[status], 'content': {'application/json': {'example': {'error': detail}}}}
    return documented
