"""A deleted `ui.upload` is not kept by FastAPI's caches of endpoints (patches.upload_route)."""

from __future__ import annotations

import gc
import weakref

from nicegui import Client, ui
from nicegui import app as nicegui_app
from nicegui.page import page

from patches import upload_route


def deleted_upload_kept(*, patched: bool) -> bool:
    """Make a page with an upload, delete the page, collect: whether the upload element is still alive."""
    if patched:
        upload_route.install()
    else:
        upload_route.uninstall()
    client = Client(page('/upload-kept'))
    with client:
        gone = weakref.ref(ui.upload())
    client.delete()
    gc.collect()
    return gone() is not None


def test_a_deleted_upload_is_freed_and_its_route_removed() -> None:
    routes = len(nicegui_app.routes)
    assert not deleted_upload_kept(patched=True)
    assert len(nicegui_app.routes) == routes
    assert upload_route.installed()


def test_fastapi_alone_keeps_a_deleted_upload_in_its_caches() -> None:
    # What the patch is for: if FastAPI stops keeping endpoints (or NiceGUI their elements), the patch can go.
    assert deleted_upload_kept(patched=False)


async def test_an_upload_reaches_its_element_through_the_patched_route() -> None:
    import httpx

    upload_route.install()
    received: list[str] = []
    client = Client(page('/upload-post'))

    def keep(event: object) -> None:
        received.append(event.file.name)  # type: ignore[attr-defined]
    with client:
        element = ui.upload(on_upload=keep)
    transport = httpx.ASGITransport(app=nicegui_app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url='http://test') as http:
            answer = await http.post(element._registered_url, files={'file': ('a.txt', b'hello')})
        assert answer.status_code == 200, answer.text
        assert answer.json() == {'upload': 'success'}
        assert received == ['a.txt']
    finally:
        client.delete()
