"""FastAPI's reading of declared parameters, with what each declaration is remembered: the same values and errors."""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import FastAPI, Query
from fastapi.dependencies import utils

from patches import param_reading


async def test_parameters_read_the_same_with_the_answers_remembered_and_each_question_is_asked_once() -> None:
    app = FastAPI()

    @app.get('/tickets')
    async def tickets(kind: Annotated[list[str] | None, Query(max_length=3)] = None, limit: Annotated[int, Query(ge=1)]
                      = 25, search: Annotated[str, Query(alias='q')] = '') -> dict[str, object]:
        return {'kind': kind, 'limit': limit, 'search': search}

    queries = ['kind=open&kind=active&limit=3&q=printer', 'limit=0', 'kind=a&kind=b&kind=c&kind=d', '']
    answers = []
    asked: list[object] = []
    original = param_reading._originals['field_annotation_is_sequence']
    param_reading._originals['field_annotation_is_sequence'] = lambda annotation: asked.append(annotation) or \
        original(annotation)
    param_reading._patched['field_annotation_is_sequence'] = param_reading._remembering('field_annotation_is_sequence')
    try:
        for patched in (False, True):
            (param_reading.install if patched else param_reading.uninstall)()
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test') as client:
                answers.append([(r.status_code, r.json()) for r in
                                [await client.get(f'/tickets?{query}') for query in queries * 2]])
            if not patched:
                asked.clear()
    finally:
        param_reading._originals['field_annotation_is_sequence'] = original
        param_reading._patched['field_annotation_is_sequence'] = param_reading._remembering(
            'field_annotation_is_sequence')
        param_reading.uninstall()
    assert answers[0] == answers[1]
    assert [status for status, _ in answers[1][:4]] == [200, 422, 422, 200]
    assert len(asked) == 3  # one question per declared parameter, however many calls
    assert utils.field_annotation_is_sequence is original


def test_the_guard_runs() -> None:
    param_reading.check()
