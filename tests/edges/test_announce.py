"""What the operator reads at start: where the app listens, and a warning when the demo's users are open to others."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest
from nicegui.testing import User

from edges.announce import announce_demo, announce_listening
from settings import Settings, load_settings

DEMO = (('admin', 'password'), ('user', 'password'))


@pytest.fixture
def settings(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.delenv('HOST', raising=False)
    return load_settings(port=8123)


def test_the_start_says_where_the_app_listens(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        announce_listening(settings)
    [record] = caplog.records
    assert record.levelno == logging.INFO
    assert record.getMessage() == 'listening on http://127.0.0.1:8123 (this machine only; set HOST to serve others)'


def test_demo_users_on_this_machine_only_are_told_plainly(settings: Settings,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        announce_demo(settings, DEMO)
    [record] = caplog.records
    assert record.levelno == logging.INFO
    assert record.getMessage() == 'demo users exist: admin/password, user/password (sign in at http://127.0.0.1:8123)'


def test_demo_users_reachable_from_other_machines_are_a_warning(settings: Settings,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        announce_listening(replace(settings, host='0.0.0.0'))
        announce_demo(replace(settings, host='0.0.0.0'), DEMO)
    listening, demo = caplog.records
    assert listening.getMessage() == 'listening on http://0.0.0.0:8123 (reachable from other machines)'
    assert demo.levelno == logging.WARNING
    assert 'anyone who reaches port 8123 can sign in as admin/password, user/password' in demo.getMessage()


async def test_the_app_tells_once_seeding_is_done_that_the_demo_users_exist(
        caplog: pytest.LogCaptureFixture, user: User) -> None:
    messages = [record.getMessage() for record in caplog.get_records('setup')]
    assert any(message.startswith('listening on http://127.0.0.1:') for message in messages)
    assert any(message.startswith('demo users exist: admin/password, user/password') for message in messages)
