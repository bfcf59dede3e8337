"""Where the app listens: this machine only unless HOST or --host says otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import load_settings


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No HOST and no .env from the developer's checkout."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv('DATA_DIR', str(tmp_path / 'data'))
    monkeypatch.setenv('SECRET_KEY', 'test secret')
    monkeypatch.delenv('HOST', raising=False)
    monkeypatch.delenv('DATABASE_URL', raising=False)
    return monkeypatch


def test_the_demo_listens_on_this_machine_only_by_default(env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.demo
    assert settings.host == '127.0.0.1'
    assert not settings.reachable_from_other_machines


def test_host_from_the_environment_or_the_command_line_is_kept(env: pytest.MonkeyPatch) -> None:
    env.setenv('HOST', '0.0.0.0')
    assert load_settings().host == '0.0.0.0'
    assert load_settings().reachable_from_other_machines
    assert load_settings(host='::1').host == '::1'


@pytest.mark.parametrize('host, reachable', [('127.0.0.1', False), ('127.0.0.2', False), ('::1', False),
                                             ('localhost', False), ('0.0.0.0', True), ('::', True),
                                             ('192.168.1.5', True), ('desk.example.com', True)])
def test_only_loopback_hosts_count_as_this_machine_only(env: pytest.MonkeyPatch, host: str, reachable: bool) -> None:
    assert load_settings(host=host).reachable_from_other_machines is reachable
