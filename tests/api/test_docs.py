"""The API's docs work offline: /docs and /redoc load Swagger UI and ReDoc from the app itself, never a CDN."""

from __future__ import annotations

import re

import httpx
import pytest
from nicegui import core

from domain.desk import Desk


@pytest.fixture
async def site(api_desk: Desk) -> httpx.AsyncClient:
    """The whole app as a browser reaches it (the docs live outside /api/v1)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://test')


@pytest.mark.parametrize('page', ['/docs', '/redoc'])
async def test_the_docs_pages_load_every_asset_from_the_app(site: httpx.AsyncClient, page: str) -> None:
    async with site:
        html = (await site.get(page)).text
        assets = re.findall(r'''(?:src|href)=["']([^"']+)["']''', html)
        assert assets and all(url.startswith('/') for url in assets), assets
        assert 'fonts.googleapis' not in html and 'cdn.' not in html
        for url in assets:
            answer = await site.get(url)
            assert answer.status_code == 200 and answer.content, url


async def test_the_schema_the_docs_read_lists_the_api(site: httpx.AsyncClient) -> None:
    async with site:
        schema = (await site.get('/openapi.json')).json()
    assert schema['info']['title'] == 'Switchboard'
    assert '/api/v1/auth/token' in schema['paths']
    assert not any(path.startswith(('/docs', '/redoc', '/api/docs-assets')) for path in schema['paths'])
