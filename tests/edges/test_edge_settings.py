"""Edge settings are read and checked at start: a bad value stops the app with a message naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings import Rate, load_settings


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no .env of the working tree
    monkeypatch.setenv('DATA_DIR', str(tmp_path / 'data'))
    for name in ('CORS_ORIGINS', 'TRUSTED_PROXIES', 'RATE_LIMIT_API', 'RATE_LIMIT_AUTH', 'LOG_FORMAT', 'LOG_LEVEL'):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_defaults_share_nothing_cross_origin_and_trust_no_proxy(env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.cors_origins == ()
    assert settings.trusted_proxies == ()
    assert settings.rate_limit_api == Rate(120, 60)
    assert settings.rate_limit_auth == Rate(10, 60)
    assert (settings.log_format, settings.log_level) == ('text', 'INFO')


def test_the_edge_settings_are_read_from_the_environment(env: pytest.MonkeyPatch) -> None:
    env.setenv('CORS_ORIGINS', 'https://app.example.com/, http://localhost:5173')
    env.setenv('TRUSTED_PROXIES', '10.0.0.0/8, 127.0.0.1, ::1')
    env.setenv('RATE_LIMIT_API', '600/minute')
    env.setenv('RATE_LIMIT_AUTH', '5/minute')
    env.setenv('LOG_FORMAT', 'JSON')
    env.setenv('LOG_LEVEL', 'warning')
    settings = load_settings()
    assert settings.cors_origins == ('https://app.example.com', 'http://localhost:5173')
    assert settings.trusted_proxies == ('10.0.0.0/8', '127.0.0.1/32', '::1/128')
    assert (settings.rate_limit_api, settings.rate_limit_auth) == (Rate(600, 60), Rate(5, 60))
    assert (settings.log_format, settings.log_level) == ('json', 'WARNING')


@pytest.mark.parametrize(('name', 'value', 'message'), [
    ('RATE_LIMIT_API', 'lots', 'RATE_LIMIT_API='),
    ('RATE_LIMIT_AUTH', '10/fortnight', 'RATE_LIMIT_AUTH='),
    ('TRUSTED_PROXIES', '10.0.0.0/8, proxy.local', 'TRUSTED_PROXIES'),
    ('CORS_ORIGINS', 'app.example.com', 'CORS_ORIGINS'),
    ('LOG_FORMAT', 'xml', 'LOG_FORMAT'),
    ('LOG_LEVEL', 'chatty', 'LOG_LEVEL'),
])
def test_a_bad_edge_setting_stops_the_start_naming_it(env: pytest.MonkeyPatch, name: str, value: str,
                                                      message: str) -> None:
    env.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        load_settings()
