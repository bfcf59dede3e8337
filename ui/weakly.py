"""Callbacks an element keeps of the page that holds it, held weakly so the page is freed by reference counting."""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from typing import TypeVar

F = TypeVar('F', bound=Callable[..., object])


def weakly(callback: F) -> Callable[[], F | None]:
    """A getter for `callback`; a method of the page is held weakly (the getter says None once the page is gone)."""
    # A strong one would make a reference cycle, which patches.gc_policy's rare collections would keep (see
    # patches.teardown).
    if inspect.ismethod(callback):
        return weakref.WeakMethod(callback)  # type: ignore[return-value]
    return lambda: callback
