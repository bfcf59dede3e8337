"""One sub page per module; each `register` adds its routes."""

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar('F', bound=Callable[..., Any])


def path_id(value: str | int) -> int | None:
    """A numeric id from the URL; sub pages hand path parameters over as text."""
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


def with_nested_pages(builder: F) -> F:
    """Mark a page that holds nested sub pages of its own (/inbox/<id>): the rest of the path is theirs to match."""
    builder.nested_pages = True  # type: ignore[attr-defined]
    return builder
