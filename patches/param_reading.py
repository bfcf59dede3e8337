"""FastAPI reads a call's query, path, header and cookie parameters by asking the same questions of each declared
parameter on every call: is it a model of parameters, is it a sequence, is it JSON, which names may the client
use. The answers depend only on the declaration, made once at start. GET /api/v1/tickets declares fifteen query
parameters: reading them took 153 µs a call here, 75 µs with these answers remembered per declaration
(`typing.get_origin`, `isinstance` and `issubclass` by the hundred per call, otherwise).

The cache holds the declarations it answered for (so their ids are not reused) and is emptied past MAX_ENTRIES:
a FastAPI that made new field objects per call (a parameter model's fields) could not make it grow without bound.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Query
from fastapi.dependencies import utils

from .guard import Versions, broken, guarding

VERIFIED = {'fastapi': Versions('>=0.165.0,<0.166')}
MAX_ENTRIES = 10_000
NAMES = ('_get_param_model', '_get_param_aliases', '_is_json_field', 'field_annotation_is_sequence')
_originals: dict[str, Callable[..., Any]] = {name: getattr(utils, name) for name in NAMES}
_answers: dict[tuple[Any, ...], tuple[Any, Any]] = {}  # key -> (the declaration asked about, the answer)


def _remembering(name: str) -> Callable[..., Any]:
    original = _originals[name]

    def remembered(subject: Any, **options: Any) -> Any:
        key = (name, id(subject), *options.items())
        found = _answers.get(key)
        if found is not None and found[0] is subject:
            return found[1]
        answer = original(subject, **options)
        if len(_answers) >= MAX_ENTRIES:
            _answers.clear()
        _answers[key] = (subject, answer)
        return answer
    return remembered


_patched = {name: _remembering(name) for name in NAMES}


def install() -> None:
    for name in NAMES:
        setattr(utils, name, _patched[name])


def uninstall() -> None:
    for name in NAMES:
        setattr(utils, name, _originals[name])
    _answers.clear()


def installed() -> bool:
    return all(getattr(utils, name) is _patched[name] for name in NAMES)


def check() -> None:
    """The functions are there, called by `request_params_to_args` through the module, and reading parameters with
    the answers remembered gives what FastAPI's own reading gives, valid or not."""
    from fastapi import FastAPI
    from fastapi.routing import APIRoute
    from starlette.datastructures import QueryParams

    with guarding('fastapi', VERIFIED, 'remembering what each declared parameter is'):
        app = FastAPI()

        @app.get('/probe')
        async def probe(kind: Annotated[list[str] | None, Query()] = None, limit: int = 25,
                        search: Annotated[str, Query(alias='q')] = '') -> None: ...

        route = next(r for r in app.routes if isinstance(r, APIRoute) and r.path == '/probe')
        fields = route.dependant.query_params
        asked = [QueryParams('kind=a&kind=b&limit=3&q=x'), QueryParams('limit=x'), QueryParams('')]
        was_installed = installed()
        uninstall()
        try:
            expected = [utils.request_params_to_args(fields, query) for query in asked]
            install()
            found = [utils.request_params_to_args(fields, query) for query in asked + asked][len(asked):]
            used = bool(_answers)
        finally:
            (install if was_installed else uninstall)()
    if not used or [values for values, _ in found] != [values for values, _ in expected] or \
            [len(errors) for _, errors in found] != [len(errors) for _, errors in expected]:
        raise broken('fastapi', VERIFIED, f'parameters read {found} (answers remembered: {used}), FastAPI itself '
                     f'read {expected}')
