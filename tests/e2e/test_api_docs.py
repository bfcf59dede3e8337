"""The API docs in a real browser on a machine without the internet: Swagger UI and ReDoc render every operation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e
async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')
expect = async_api.expect


async def test_swagger_and_redoc_render_from_the_apps_own_assets(e2e_new_page, e2e_server: str) -> None:
    page = await e2e_new_page()
    elsewhere: list[str] = []
    page.on('request', lambda request: None if request.url.startswith((e2e_server, f'blob:{e2e_server}'))
            else elsewhere.append(request.url))
    await page.goto('/docs')
    await expect(page.get_by_text('/api/v1/auth/token').first).to_be_visible()
    await page.goto('/redoc')
    # ReDoc lays out the whole document (every operation and example) before it shows a heading: on a busy
    # two-core machine that takes longer than the default five seconds.
    await expect(page.get_by_role('heading', name='Switchboard').first).to_be_visible(timeout=30_000)
    await expect(page.get_by_text('/api/v1/auth/token').first).to_be_attached()
    # ReDoc's footer shows Redocly's logo from their site and hides it when it cannot load: branding, not docs.
    assert [url for url in elsewhere if not url.endswith('/redoc/logo-mini.svg')] == []
