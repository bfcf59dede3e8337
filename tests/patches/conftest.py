"""Patch tests install what they test; afterwards the process is back to what PATCHES says."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import patches
from tests.conftest import PATCHES_ON


@pytest.fixture(autouse=True)
def patches_restored() -> Iterator[None]:
    yield
    patches.install_all(PATCHES_ON, long_running=False)


@pytest.fixture
def app_env(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main.py with its patches on, whatever the run's PATCHES: these tests are about them."""
    monkeypatch.setenv('PATCHES', 'on')
    return app_env
