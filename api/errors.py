"""One JSON shape for every API error: domain errors, malformed input, and unknown routes under /api."""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, APIRouter
from starlette.exceptions import HTTPException
from starlette.routing import compile_path

from domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotSignedIn,
    PermissionDenied,
    TooManyAttempts,
)
from storage.database import connection_lost

from .schemas import ErrorBody

log = logging.getLogger(__name__)
PREFIX = '/api/'
# Most specific first: NotSignedIn is a PermissionDenied.
DOMAIN_ERRORS: tuple[tuple[type[DomainError], int, str], ...] = (
    (NotSignedIn, 401, 'not_signed_in'),
    (PermissionDenied, 403, 'forbidden'),
    (NotFound, 404, 'not_found'),
    (InvalidTransition, 409, 'invalid_transition'),
    (Conflict, 409, 'conflict'),
    (TooManyAttempts, 429, 'too_many_attempts'),
    (InvalidInput, 422, 'invalid_input'),
)
HTTP_CODES = {400: 'bad_request', 401: 'not_signed_in', 403: 'forbidden', 404: 'not_found',
              405: 'method_not_allowed', 413: 'too_large', 415: 'unsupported_media_type'}
# Declared on every operation, so the OpenAPI document names each answer a client can get.
RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {'model': ErrorBody, 'description': 'The request as a whole was refused (e.g. wrong credentials)'},
    401: {'model': ErrorBody, 'description': 'No valid access token (or refresh token)'},
    403: {'model': ErrorBody, 'description': 'Signed in, but not allowed'},
    404: {'model': ErrorBody, 'description': 'No such thing, or not visible to you'},
    409: {'model': ErrorBody, 'description': 'Conflicts with the current state (taken name, disallowed transition)'},
    413: {'model': ErrorBody, 'description': 'The body is larger than the endpoint takes (BODY_MAX_KB; files: '
                                            'UPLOAD_MAX_MB each)',
          'content': {'application/json': {'example': {'error': {
              'code': 'too_large',
              'message': 'The request body is larger than 1 MB, the most this endpoint takes.'}}}}},
    422: {'model': ErrorBody, 'description': 'A field is invalid; `field` names it'},
    429: {'model': ErrorBody, 'description': 'Too many attempts or requests; see Retry-After',
          'content': {'application/json': {'example': {'error': {
              'code': 'rate_limited', 'message': 'Too many requests; try again in 3 s.'}}}}},
}

# What any operation may answer, about the request as sent (unreadable, too large, invalid) or its rate; the rest
# (401, 403, 404, 409) each operation declares itself, with an example, as it can give them (api/documented.py).
COMMON = {status: RESPONSES[status] for status in (400, 413, 422, 429)}


def error(status: int, code: str, message: str, *, field: str | None = None,
          headers: dict[str, str] | None = None) -> JSONResponse:
    detail: dict[str, str] = {'code': code, 'message': message}
    if field:
        detail['field'] = field
    return JSONResponse({'error': detail}, status_code=status, headers=headers)


def domain_error(exc: DomainError, inputs: frozenset[str] = frozenset()) -> JSONResponse:
    status, code = next(((status, code) for kind, status, code in DOMAIN_ERRORS if isinstance(exc, kind)),
                        (400, 'refused'))
    headers = None
    if isinstance(exc, TooManyAttempts):
        headers = {'Retry-After': str(max(1, math.ceil(exc.retry_after)))}
    elif status == 401:
        headers = {'WWW-Authenticate': 'Bearer'}
    if status == 422 and not exc.field:  # about the request as a whole (wrong credentials), not one field
        status = 400
    return error(status, code, exc.message, field=api_field(exc.field, inputs), headers=headers)


def api_field(field: str | None, inputs: frozenset[str]) -> str | None:
    """The operation's own name for a field the domain names as the pages do: `status` is `status_id` here."""
    if not field or field in inputs:
        return field
    return next((name for name in (f'{field}_id', f'{field}_ids', f'{field}es', f'{field}s') if name in inputs), field)


def route_inputs(route: APIRoute) -> frozenset[str]:
    """Every name a caller sends to a route: path, query and header parameters, and the body's fields."""
    dependant = route.dependant
    names = {param.alias for params in (dependant.path_params, dependant.query_params, dependant.body_params)
             for param in params}
    if route.body_field is not None:
        names.update(getattr(route.body_field.field_info.annotation, 'model_fields', {}))
    return frozenset(names)


def validation_error(exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0] if exc.errors() else {}
    location = [str(part) for part in first.get('loc', ())]
    if first.get('type') == 'json_invalid':  # its location is a character offset, not a field
        location = ['body']
    field = '.'.join(location[1:]) or (location[0] if location else 'body')
    message = str(first.get('msg', 'Invalid input.'))
    return error(422, 'invalid_input', f'{field}: {message}', field=field)


class ApiRoute(APIRoute):
    """Maps domain errors and invalid input to the error shape for API routes only; pages keep their own."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        inputs = route_inputs(self)

        async def guarded(request: Request) -> Response:
            try:
                return await handle(request)
            except DomainError as exc:
                return domain_error(exc, inputs)
            except RequestValidationError as exc:
                return validation_error(exc)
            except HTTPException:
                raise  # the app's handler below answers in the same shape
            except Exception as exc:
                if connection_lost(exc):
                    # The database restarted under a pooled connection or is down for a moment: a retry will do.
                    log.warning('API call found the database away: %s %s', request.method, request.url.path)
                    return error(503, 'database_unavailable', 'The database is not reachable right now; try again.',
                                 headers={'Retry-After': '1'})
                log.exception('API request failed: %s %s', request.method, request.url.path)
                return error(500, 'internal_error', 'Something went wrong on our side.')
        return guarded


class PathMethods:
    """Every method an API path allows, across all its routes: Starlette's 405 names only the first route's."""

    def __init__(self, routes: Iterable[tuple[str, Iterable[str]]]) -> None:
        allowed: dict[str, set[str]] = {}
        for path, methods in routes:
            allowed.setdefault(path, set()).update(methods)
        self._paths = [(compile_path(path)[0], sorted(methods)) for path, methods in allowed.items()]

    @classmethod
    def of(cls, routers: Iterable[APIRouter], prefix: str) -> PathMethods:
        return cls((prefix + route.path, route.methods) for router in routers for route in router.routes
                   if isinstance(route, APIRoute))

    def allowed(self, path: str) -> list[str]:
        found: set[str] = set()
        for pattern, methods in self._paths:
            if pattern.match(path):
                found.update(methods)
        return sorted(found)


def install(app: FastAPI) -> None:
    """Answer HTTP errors under /api (no such route, wrong method, unreadable body) in the error shape.

    Everything else goes to the handler that was there (NiceGUI's 404 page, FastAPI's default). Safe to call on
    every start: the test runner starts the app many times in one process, and the handlers stay registered.
    """
    for key in (404, HTTPException):
        previous = app.exception_handlers.get(key, http_exception_handler)
        if getattr(previous, 'falls_back_to', None) is None:
            app.exception_handlers[key] = _api_first(previous)


def _api_first(previous: Callable[[Request, Any], Awaitable[Response] | Response]) -> Callable[..., Any]:
    async def handler(request: Request, exc: Exception) -> Response:
        path = request.url.path
        if (path.startswith(PREFIX) or path == PREFIX.rstrip('/')) and isinstance(exc, HTTPException):
            code = HTTP_CODES.get(exc.status_code, 'http_error')
            message = 'There is no such API route.' if exc.status_code == 404 else str(exc.detail)
            headers = exc.headers
            methods: PathMethods | None = getattr(request.app.state, 'api_methods', None)
            if exc.status_code == 405 and methods is not None and (allowed := methods.allowed(path)):
                headers = {**(headers or {}), 'Allow': ', '.join(allowed)}
            return error(exc.status_code, code, message, headers=headers)
        answer = previous(request, exc)
        return await answer if isinstance(answer, Awaitable) else answer

    handler.falls_back_to = previous  # type: ignore[attr-defined]
    return handler
