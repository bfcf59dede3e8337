"""Outgoing webhooks' settings: public targets only and a switch-off after 10 failures unless set otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import load_settings


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    monkeypatch.setenv('DATA_DIR', str(tmp_path / 'data'))
    monkeypatch.setenv('SECRET_KEY', 'test secret')
    for name in ('WEBHOOKS_ALLOW_PRIVATE', 'WEBHOOKS_DISABLE_AFTER'):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_webhooks_go_to_public_addresses_and_are_switched_off_after_ten_failures_by_default(
        env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert not settings.webhooks_allow_private and settings.webhooks_disable_after == 10


def test_the_environment_allows_private_targets_and_sets_the_limit(env: pytest.MonkeyPatch) -> None:
    env.setenv('WEBHOOKS_ALLOW_PRIVATE', 'true')
    env.setenv('WEBHOOKS_DISABLE_AFTER', '3')
    settings = load_settings()
    assert settings.webhooks_allow_private and settings.webhooks_disable_after == 3


def test_a_limit_below_one_is_refused_at_start(env: pytest.MonkeyPatch) -> None:
    env.setenv('WEBHOOKS_DISABLE_AFTER', '0')
    with pytest.raises(ValueError, match='WEBHOOKS_DISABLE_AFTER'):
        load_settings()
