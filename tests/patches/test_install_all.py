"""At start each patch goes in only within its verified versions, one warning says why one stays out, and
PATCHES=off leaves out every speed-up; the app serves either way."""

from __future__ import annotations

import logging

import pytest
from nicegui.testing import User

import patches
from patches import guard, socket_emit

SPEED_UPS = [name for name, module in patches.modules().items() if getattr(module, 'SPEED_UP', True)]


@pytest.fixture
def socketio_from_the_future(monkeypatch: pytest.MonkeyPatch) -> None:
    known = guard.installed_version
    monkeypatch.setattr(guard, 'installed_version',
                        lambda distribution: '9.0.0' if distribution == 'python-socketio' else known(distribution))


def test_everything_goes_in_when_every_library_is_in_range() -> None:
    assert patches.install_all(True, long_running=False) == [name for name in patches.NAMES if name != 'gc_policy']
    assert all(patches.modules()[name].installed() for name in SPEED_UPS if name != 'gc_policy')


def test_off_leaves_out_every_speed_up() -> None:
    patches.install_all(True, long_running=False)
    assert patches.install_all(False, long_running=False) == ['abandoned', 'displayed_texts']  # no speed-ups
    assert not any(patches.modules()[name].installed() for name in SPEED_UPS)


def test_a_library_outside_the_range_logs_one_warning_and_leaves_that_patch_out(
        socketio_from_the_future: None, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger='patches'):
        installed = patches.install_all(True, long_running=False)
    assert 'socket_emit' not in installed and not socket_emit.installed()
    assert 'signature_cache' in installed  # the others are in range
    warnings = [record.getMessage() for record in caplog.records
                if record.name == 'patches' and record.levelno == logging.WARNING]
    verified = socket_emit.VERIFIED['python-socketio']
    assert warnings == [f'patch socket_emit is off: python-socketio 9.0.0 (verified: {verified}); '
                        'the app runs without it']


async def test_the_app_serves_without_a_patch_whose_library_is_outside_the_range(
        socketio_from_the_future: None, user: User, caplog: pytest.LogCaptureFixture) -> None:
    assert not socket_emit.installed()
    await user.open('/login')
    await user.should_see('Sign in')
    started = [record for record in caplog.get_records('setup')
               if record.name == 'patches' and record.levelno == logging.WARNING]
    assert len(started) == 1 and 'python-socketio 9.0.0' in started[0].getMessage()
