"""The app as main.py builds it, with edge settings from the test, and an HTTP client on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from nicegui.testing.user import User
from nicegui.testing.user_simulation import user_simulation
from prometheus_client.parser import text_string_to_metric_families

from domain.desk import Desk
from tests.conftest import MAIN


@dataclass
class Served:
    user: User
    http: httpx.AsyncClient
    desk: Desk

    async def samples(self, name: str) -> dict[tuple[tuple[str, str], ...], float]:
        """The samples called `name` on /metrics, keyed by their sorted labels."""
        response = await self.http.get('/metrics')
        assert response.status_code == 200
        return {tuple(sorted(sample.labels.items())): sample.value
                for family in text_string_to_metric_families(response.text)
                for sample in family.samples if sample.name == name}


Serve = Callable[..., AbstractAsyncContextManager[Served]]


@pytest.fixture
def serve(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> Serve:
    """`async with serve(NAME=value, ...) as served:` runs main.py with those settings on top of app_env's."""

    @asynccontextmanager
    async def run(*, ready: bool = True, **env: str) -> AsyncIterator[Served]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        from nicegui import core

        from ui import app as web
        async with user_simulation(main_file=MAIN) as user:
            desk = web.current
            assert desk is not None
            if ready:
                await desk.ready()
            async with httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://test') as http:
                yield Served(user, http, desk)
    return run
