"""Opaque cursors: the last item's sort key, as base64 JSON, checked on the way back in."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from domain.errors import InvalidInput

from .schemas import MAX_ID

T = TypeVar('T')
BAD_CURSOR = 'This cursor was not handed out here; start again without one.'


def encode(*values: str | int) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(',', ':')).encode()).decode().rstrip('=')


def decode(cursor: str | None, *types: type) -> list[Any] | None:
    """The values of a cursor of this shape (str, int or datetime each), or InvalidInput; None for no cursor."""
    if cursor is None:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + '=' * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeError, ValueError):
        raise bad_cursor() from None
    if not isinstance(values, list) or len(values) != len(types):
        raise bad_cursor()
    return [_value(value, kind) for value, kind in zip(values, types, strict=True)]


def _value(value: object, kind: type) -> object:
    if kind is int and type(value) is int and 0 <= value <= MAX_ID:
        return value
    if kind is str and isinstance(value, str):
        return value
    if kind is datetime and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment
    raise bad_cursor()


def bad_cursor() -> InvalidInput:
    return InvalidInput(BAD_CURSOR, field='cursor')


def offset_page(items: Sequence[T], cursor: str | None, limit: int) -> tuple[list[T], str | None]:
    """A page of a list the service hands out whole (bounded: queues, workflows, a request's conversations)."""
    found = decode(cursor, int)
    offset: int = found[0] if found else 0
    page = list(items[offset:offset + limit])
    return page, encode(offset + limit) if offset + limit < len(items) else None
