"""The cached answer to "does this handler expect arguments?" is NiceGUI's own answer."""

from __future__ import annotations

import functools

from nicegui import helpers

from patches import signature_cache


class Handlers:
    def optional(self, event: object = None) -> None: ...

    def required(self, event: object) -> None: ...

    def rest(self, *args: object, **kwargs: object) -> None: ...

    @staticmethod
    def static(event: object) -> None: ...


def test_cached_answers_match_nicegui_for_every_kind_of_callable() -> None:
    handlers = Handlers()
    callables = [handlers.optional, handlers.required, handlers.rest, Handlers.static, lambda: None,
                 lambda event: None, functools.partial(lambda a, b: None, 1), print]
    for function in callables:
        assert signature_cache._expects_arguments(function) == signature_cache._original(function), function


def test_main_installs_it() -> None:
    signature_cache.install()
    assert helpers.expects_arguments is signature_cache._expects_arguments
