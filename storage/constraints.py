"""Storage's one translation of a broken database constraint into the domain's ConstraintConflict."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import IntegrityError

from domain.errors import ConstraintConflict

P = ParamSpec('P')
R = TypeVar('R')


def refused_as_conflict(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Mark a repository write whose constraint a race can break: the domain catches ConstraintConflict there.

    The unit of work translates any IntegrityError that leaves it as well; this one is for services that need to
    know which statement clashed while their transaction is still open.
    """

    @functools.wraps(method)
    async def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await method(*args, **kwargs)
        except IntegrityError as error:
            raise ConstraintConflict() from error

    return checked
