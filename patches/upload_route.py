"""A `ui.upload`'s route lets go of the element when the element goes.

Every `ui.upload` (the reply box's "Attach files": each request page, support chat and ticket a tab opens) adds a
FastAPI route whose endpoint is a closure over the element, and removes the route when the element is deleted.
FastAPI 0.165 also keeps each endpoint in three `lru_cache`s of 4,096 entries (`fastapi.dependencies.models`,
`_is_coroutine_callable_cached` and its siblings, keyed by the callable), so the closure, and with it the deleted
element, its props, slot and handlers, stayed until 4,096 later uploads pushed it out: in bench/soak.py about 170
closed tabs' uploads a minute (the `Upload`, `_CallIdentity` and `GenericAlias` counts of bench/probe's census),
growing for the first 24 minutes. Here upload.py sees NiceGUI's `app` through a view whose `post` registers, for
the element's path, an endpoint that only looks the element's own endpoint up by its path, and whose
`remove_route` forgets it: FastAPI's caches keep a small function and a path string. An upload still running when
its element goes finishes with the endpoint it started with.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import HTTPException, Request
from nicegui import app as nicegui_app
from nicegui.elements import upload

from .guard import Versions, broken, guarding

VERIFIED = {'nicegui': Versions('>=3.18.0,<3.19'), 'fastapi': Versions('>=0.165.0,<0.166')}
Endpoint = Callable[[Request], Awaitable[Any]]


class AppForUploads:
    """NiceGUI's app as nicegui.elements.upload sees it: its upload routes hold their elements only while they
    exist; every other name is the app's."""

    def __init__(self) -> None:
        self.endpoints: dict[str, Endpoint] = {}

    def post(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        register = nicegui_app.post(path, **options)

        def kept(endpoint: Endpoint) -> Endpoint:
            self.endpoints[path] = endpoint
            register(_route_for(self.endpoints, path))
            return endpoint
        return kept

    def remove_route(self, path: str) -> None:
        self.endpoints.pop(path, None)
        nicegui_app.remove_route(path)

    def __getattr__(self, name: str) -> Any:
        return getattr(nicegui_app, name)


def _route_for(endpoints: dict[str, Endpoint], path: str) -> Endpoint:
    async def upload_route(request: Request) -> dict[str, str]:
        endpoint = endpoints.get(path)
        if endpoint is None:  # removed while the request was routed
            raise HTTPException(status_code=404, detail='Upload is gone')
        return await endpoint(request)
    return upload_route


def install() -> None:
    if not installed():
        upload.app = AppForUploads()  # type: ignore[attr-defined]


def uninstall() -> None:
    upload.app = nicegui_app  # type: ignore[attr-defined]


def installed() -> bool:
    return isinstance(upload.app, AppForUploads)


def check() -> None:
    """An upload registers its route through its module's `app.post` at its `_registered_url`, and removes it through
    its module's `app.remove_route` when deleted."""
    with guarding('nicegui', VERIFIED, "an upload's route"):
        posted, removed = _routes_of_one_upload()
        if len(posted) != 1 or posted != removed:
            raise broken('nicegui', VERIFIED, f'an upload no longer adds and removes its route through its module\'s '
                         f'app (added {posted}, removed {removed})')


def _routes_of_one_upload() -> tuple[list[str], list[str]]:
    from nicegui import Client, ui
    from nicegui.page import page

    posted: list[str] = []
    removed: list[str] = []

    class Spy(AppForUploads):
        def post(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
            posted.append(path)
            return super().post(path, **options)

        def remove_route(self, path: str) -> None:
            removed.append(path)
            super().remove_route(path)

    before, upload.app = upload.app, Spy()  # type: ignore[attr-defined]
    try:
        client = Client(page('/guard-upload'))
        with client:
            element = ui.upload()
        if posted != [element._registered_url]:
            posted.append(f'(not {element._registered_url})')
        del element
        client.delete()
    finally:
        upload.app = before  # type: ignore[attr-defined]
    return posted, removed
