"""Settings read from the environment and an optional `.env`, once per start of the app."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str
    host: str
    port: int
    demo: bool
    native: bool
    language: str
    bcrypt_rounds: int
    upload_max_mb: float
    upload_types: frozenset[str] | None  # None: the default list of domain.files

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith('sqlite')


def load_settings(*, demo: bool | None = None, native: bool = False, port: int | None = None,
                  host: str | None = None) -> Settings:
    """Build the settings from the environment (which wins) and `.env`; generate a missing secret once."""
    env = {**dotenv_values('.env'), **os.environ}
    data_dir = Path(env.get('DATA_DIR') or 'data').resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    database_url = env.get('DATABASE_URL') or f'sqlite+aiosqlite:///{data_dir / "switchboard.db"}'
    if demo is None:
        demo = database_url.startswith('sqlite') or _truthy(env.get('DEMO'))
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=env.get('SECRET_KEY') or _stored_secret(data_dir),
        host=host or env.get('HOST') or ('127.0.0.1' if native else '0.0.0.0'),  # a desktop window is local
        port=port or int(env.get('PORT') or 8080),
        demo=demo,
        native=native,
        language=env.get('DEFAULT_LANGUAGE') or 'en',
        bcrypt_rounds=int(env.get('BCRYPT_ROUNDS') or 12),
        upload_max_mb=float(env.get('UPLOAD_MAX_MB') or 10),
        upload_types=frozenset(t.strip() for t in env['UPLOAD_TYPES'].split(',') if t.strip())
        if env.get('UPLOAD_TYPES') else None,
    )


def _stored_secret(data_dir: Path) -> str:
    # Generated once and kept, so sessions survive a restart of the local demo.
    path = data_dir / 'secret_key'
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _truthy(value: str | None) -> bool:
    return (value or '').lower() in {'1', 'true', 'yes', 'on'}
