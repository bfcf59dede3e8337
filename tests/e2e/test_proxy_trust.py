"""Whose X-Forwarded-For the real server believes: TRUSTED_PROXIES only, never uvicorn's default of 127.0.0.1."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import app_server


def status(url: str, *, forwarded_for: str) -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    request = urllib.request.Request(url, headers={'X-Forwarded-For': forwarded_for})
    try:
        with opener.open(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def statuses(base_url: str, count: int) -> list[int]:
    """GET an API path `count` times, each claiming to come from another address (the API's limit is 3/minute)."""
    return [status(f'{base_url}/api/v1/auth/me', forwarded_for=f'203.0.113.{number}') for number in range(count)]


def test_without_trusted_proxies_a_local_client_cannot_buy_fresh_budgets_with_x_forwarded_for(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv('TRUSTED_PROXIES', raising=False)
    monkeypatch.delenv('FORWARDED_ALLOW_IPS', raising=False)  # uvicorn's own switch must not matter either
    monkeypatch.setenv('RATE_LIMIT_API', '3/minute')
    with app_server(tmp_path) as base_url:
        assert statuses(base_url, 5) == [401, 401, 401, 429, 429]  # all counted as 127.0.0.1


def test_a_trusted_proxys_x_forwarded_for_names_the_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('TRUSTED_PROXIES', '127.0.0.1')
    monkeypatch.setenv('RATE_LIMIT_API', '3/minute')
    with app_server(tmp_path) as base_url:
        assert statuses(base_url, 5) == [401] * 5  # five clients behind the proxy, one request each
        assert [status(f'{base_url}/api/v1/auth/me', forwarded_for='198.51.100.9') for _ in range(4)] == \
            [401, 401, 401, 429]
