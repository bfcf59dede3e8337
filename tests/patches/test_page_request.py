"""A tab's client lets go of the middleware's per-request objects once its page is built: when the tab goes,
reference counting frees them, with the collector's frozen set (patches.gc_policy) never holding them."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from nicegui import Client
from nicegui.testing import User
from starlette.middleware import base

from domain.desk import Desk
from patches import page_request
from tests.ui.steps import signed_in


@pytest.fixture
def middleware_requests(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[weakref.ref]]:
    """Weak references to every request object Starlette's BaseHTTPMiddleware makes from now on."""
    made: list[weakref.ref] = []
    original = base._CachedRequest.__init__

    def recorded(self: base._CachedRequest, *args: object) -> None:
        original(self, *args)
        made.append(weakref.ref(self))

    monkeypatch.setattr(base._CachedRequest, '__init__', recorded)
    yield made


async def test_a_closed_tab_leaves_no_middleware_request_for_the_collector(
        user: User, running_desk: Desk, middleware_requests: list[weakref.ref]) -> None:
    page_request.install()
    await signed_in(user, running_desk)
    await user.open('/requests')
    await user.should_see('New request')
    assert middleware_requests, 'the page came through no BaseHTTPMiddleware'
    assert user.client is not None
    assert user.client.request.headers.get('host'), 'the client still reads its request headers'
    gc.collect()  # what no tab holds goes now; the rest is frozen, as gc_policy does every second
    gc.freeze()
    try:
        user.client.delete()
        user.client = None
        gc.collect()  # frozen objects are out of its reach: only what reference counting freed is gone
        left = [ref() for ref in middleware_requests if ref() is not None]
        assert left == [], f'{len(left)} middleware requests of closed tabs wait for the next sweep'
    finally:
        gc.unfreeze()


def test_the_client_reads_headers_session_address_and_url_from_its_copy() -> None:
    page_request.install()
    scope = {'type': 'http', 'method': 'GET', 'path': '/inbox', 'query_string': b'page=2', 'scheme': 'http',
             'server': ('desk', 80), 'headers': [(b'accept-language', b'fr'), (b'cookie', b'a=1')],
             'client': ('10.1.2.3', 4), 'session': {'id': 'browser'}, 'fastapi_astack': object(), 'state': {}}
    original = base.Request(scope)
    client = Client(page_request.page('/inbox'), request=original)
    try:
        copy = client.request
        assert copy is not original and 'fastapi_astack' not in copy.scope
        assert (copy.headers['accept-language'], copy.cookies['a'], copy.session['id'], client.ip, str(copy.url)) \
            == ('fr', '1', 'browser', '10.1.2.3', 'http://desk/inbox?page=2')
        assert original.scope['nicegui_page_path'] == '/inbox'  # NiceGUI's error handlers read the original's
    finally:
        client.delete()
