"""Installing the API again (the test runner restarts main.py many times in one process) changes nothing more."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException

import api


def test_installing_twice_wraps_neither_the_lifespan_nor_the_error_handlers_again() -> None:
    app = FastAPI()
    desk: Any = object()
    lifespan = app.router.lifespan_context
    api.install(app, desk)
    handlers = dict(app.exception_handlers)
    api.install(app, desk)
    assert app.router.lifespan_context is lifespan
    assert app.exception_handlers[404] is handlers[404]
    assert app.exception_handlers[HTTPException] is handlers[HTTPException]
    assert app.state.desk is desk
