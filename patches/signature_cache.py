"""NiceGUI asks `inspect.signature` of the same methods for every element it builds: remember the answers.

Each element makes three observable collections (props, classes, style), and each asks whether its change
handler — a bound method of the same few functions — expects arguments. `inspect.signature` costs microseconds
a call; with a thousand tabs opening it was 14 % of the server's time in bench/live_load.py's profile. The answer
depends only on the function behind a bound method, so it is cached per function. Other callables (lambdas,
closures, partials) are asked as before.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from nicegui import helpers

from .guard import Versions, broken, guarding

VERIFIED = {'nicegui': Versions('>=3.18.0,<3.19')}
_original = helpers.expects_arguments


@functools.lru_cache(maxsize=4096)
def _method_expects_arguments(function: Callable[..., Any]) -> bool:
    parameters = list(inspect.signature(function).parameters.values())[1:]  # without `self`
    return any(p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in parameters)


def _expects_arguments(func: Callable[..., Any]) -> bool:
    if inspect.ismethod(func) and inspect.isfunction(func.__func__):
        return _method_expects_arguments(func.__func__)
    return _original(func)


def install() -> None:
    helpers.expects_arguments = _expects_arguments


def uninstall() -> None:
    helpers.expects_arguments = _original


def installed() -> bool:
    return helpers.expects_arguments is _expects_arguments


class _Probe:
    def handler(self, event: object) -> None: ...


def check() -> None:
    """NiceGUI asks `helpers.expects_arguments` (looked up on the module at each call) of the change handlers of
    every element's props when they are made, and the cached answer is its own."""
    with guarding('nicegui', VERIFIED, 'helpers.expects_arguments as observables call it'):
        from nicegui.observables import ObservableDict
        asked: list[object] = []

        def spy(func: Callable[..., Any]) -> bool:
            asked.append(func)
            return _original(func)

        before, helpers.expects_arguments = helpers.expects_arguments, spy
        try:
            probe = _Probe()
            ObservableDict({}, on_change=probe.handler)
        finally:
            helpers.expects_arguments = before
        if probe.handler not in asked:
            raise broken('nicegui', VERIFIED, 'observables no longer ask helpers.expects_arguments of a handler')
        if _expects_arguments(probe.handler) is not _original(probe.handler):
            raise broken('nicegui', VERIFIED, 'the cached answer differs from helpers.expects_arguments')
