"""/docs and /redoc from the app's own copies of Swagger UI and ReDoc, so they work without the internet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

ASSETS = '/api/docs-assets'
# fastapi-offline ships the Swagger UI and ReDoc bundles and keeps them current; we only serve its files.
BUNDLES = Path(fastapi_offline.__file__).parent / 'static'


def install(app: FastAPI, *, title: str) -> None:
    """/openapi.json, /docs and /redoc, their scripts and styles served from ASSETS; idempotent."""
    if any(getattr(route, 'path', None) == '/docs' for route in app.routes):
        return
    app.openapi_url = '/openapi.json'  # the docs pages and schemathesis read it; FastAPI's own setup is not used

    async def openapi(request: Request) -> JSONResponse:
        return JSONResponse(with_nulls(app.openapi()))

    async def swagger(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(openapi_url='/openapi.json', title=f'{title} API',
                                   swagger_js_url=f'{ASSETS}/swagger-ui-bundle.js',
                                   swagger_css_url=f'{ASSETS}/swagger-ui.css',
                                   swagger_favicon_url=f'{ASSETS}/favicon.png')

    async def redoc(request: Request) -> HTMLResponse:
        return get_redoc_html(openapi_url='/openapi.json', title=f'{title} API',
                              redoc_js_url=f'{ASSETS}/redoc.standalone.js', redoc_favicon_url=f'{ASSETS}/favicon.png',
                              with_google_fonts=False)

    app.add_route('/openapi.json', openapi, include_in_schema=False)
    app.add_route('/docs', swagger, include_in_schema=False)
    app.add_route('/redoc', redoc, include_in_schema=False)
    app.mount(ASSETS, StaticFiles(directory=BUNDLES), name='docs-assets')


def with_nulls(document: dict[str, Any]) -> dict[str, Any]:
    """The document with the nulls of its examples back where an answer always has them (required fields).

    FastAPI drops every null from the document, examples included, so an example of a request would lack
    `closed_at` and `assignee`, which the server always sends. Fills in place; calling it again changes nothing.
    """
    schemas: dict[str, Any] = document.get('components', {}).get('schemas', {})
    for schema in schemas.values():
        for example in schema.get('examples', []):
            _fill(example, schema, schemas)
    return document


def _fill(example: Any, schema: dict[str, Any], schemas: dict[str, Any]) -> None:
    while '$ref' in schema:
        schema = schemas[schema['$ref'].rsplit('/', 1)[-1]]
    for option in schema.get('anyOf', []):  # e.g. an object or null: the example takes the object's shape
        _fill(example, option, schemas)
    if isinstance(example, list) and 'items' in schema:
        for item in example:
            _fill(item, schema['items'], schemas)
    if isinstance(example, dict) and 'properties' in schema:
        properties: dict[str, Any] = schema['properties']
        for name in schema.get('required', []):
            if name not in example and _nullable(properties.get(name, {})):
                example[name] = None
        for name, value in example.items():
            if name in properties:
                _fill(value, properties[name], schemas)


def _nullable(schema: dict[str, Any]) -> bool:
    return schema.get('type') == 'null' or any(option.get('type') == 'null' for option in schema.get('anyOf', []))
