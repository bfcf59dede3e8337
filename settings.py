"""Settings read from the environment and an optional `.env`, once per start of the app."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from dotenv import dotenv_values

# Rates live here, not in edges/: the edges read their settings, and settings import nothing of the app's.
_RATE_PERIODS = {'second': 1, 'minute': 60, 'hour': 3600, 'day': 86400}
_RATE_FORMAT = re.compile(r'\s*(\d+)\s*/\s*(\d+\s*)?(second|minute|hour|day)s?\s*', re.IGNORECASE)


@dataclass(frozen=True)
class Rate:
    """A rate limit as written in the settings: "120/minute" means 120 requests per minute."""

    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str, name: str = 'rate limit') -> Rate:
        """Read "<count>/<period>" or "<count>/<n> <period>s" ("10/minute", "1000/5 minutes"); ValueError if not."""
        match = _RATE_FORMAT.fullmatch(text)
        if match is None or int(match[1]) < 1 or (match[2] is not None and int(match[2]) < 1):
            raise ValueError(f'{name}={text!r}: expected "<count>/<period>" with a count of at least 1 and a period '
                             f'of second, minute, hour or day, e.g. "120/minute" or "1000/5 minutes"')
        return cls(int(match[1]), int(match[2] or 1) * _RATE_PERIODS[match[3].lower()])

    def __str__(self) -> str:
        return f'{self.count}/{self.seconds:g}s'


TELEGRAM_API = 'https://api.telegram.org'
API_RATE, AUTH_RATE = Rate(120, 60), Rate(10, 60)  # per minute; sign-in guesses are held to fewer


@dataclass(frozen=True)
class OAuthProvider:
    """An OAuth 2.0 / OpenID Connect provider people may sign in with: a discovery URL or the endpoints."""

    key: str  # in the /auth/<key>/... URLs and stored with every linked account: keep it once people signed in
    name: str  # on the buttons
    client_id: str
    client_secret: str
    discovery_url: str | None = None
    authorize_url: str | None = None
    token_url: str | None = None
    userinfo_url: str | None = None
    scope: str = 'openid profile email'


@dataclass(frozen=True)
class SmtpSettings:
    """The SMTP server notification email goes through (channels/email.py)."""

    host: str
    port: int
    tls: str  # 'none', 'starttls' (upgrade after connecting) or 'tls' (TLS from the first byte)
    sender: str  # the From address
    user: str | None = None
    password: str | None = None


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
    oauth_providers: tuple[OAuthProvider, ...] = ()
    public_url: str | None = None  # how browsers reach the app, for OAuth redirect URIs behind a proxy
    cors_origins: tuple[str, ...] = ()  # browser origins the API answers; none: no CORS headers at all
    trusted_proxies: tuple[str, ...] = ()  # addresses or networks whose X-Forwarded-For is believed
    rate_limit_api: Rate = API_RATE  # per user (valid bearer token) or else per client address
    rate_limit_auth: Rate = AUTH_RATE  # per client address on the token and registration endpoints
    log_format: str = 'text'  # or 'json': one object per line
    log_level: str = 'INFO'
    database_pool_size: int = 30  # PostgreSQL connections each instance may open, and keeps once open
    smtp: SmtpSettings | None = None  # notification email is off without SMTP_HOST
    slack_webhook_url: str | None = None  # Slack notifications are off without SLACK_WEBHOOK_URL
    telegram_bot_token: str | None = None  # the Telegram channel is off without TELEGRAM_BOT_TOKEN
    telegram_api_url: str = TELEGRAM_API  # tests point it at a local stand-in of the Bot API
    telegram_mode: str = 'polling'  # or 'webhook': Telegram pushes to PUBLIC_URL (several instances)
    telegram_webhook_secret: str | None = None  # checked on every push (the secret-token header)
    telegram_poll_timeout: int = 30  # seconds one getUpdates may wait for news
    secure_cookies: bool = False  # the session cookie only over HTTPS; on by default when PUBLIC_URL is https
    body_max_kb: int = 1024  # the largest request body but for file uploads (which take UPLOAD_MAX_MB per file)
    webhooks_allow_private: bool = False  # WEBHOOKS_ALLOW_PRIVATE=true: webhooks may go to private/loopback hosts
    webhooks_disable_after: int = 10  # an endpoint is switched off after this many failed deliveries in a row
    patches: bool = True  # PATCHES=off: the app runs without any patch of other libraries' internals (patches/)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith('sqlite')

    @property
    def reachable_from_other_machines(self) -> bool:
        """Whether HOST lets other machines connect: anything but a loopback address or "localhost"."""
        if self.host == 'localhost':
            return False
        try:
            return not ipaddress.ip_address(self.host).is_loopback
        except ValueError:  # a host name: assume it resolves to an address others reach
            return True


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
        # This machine only unless asked: the demo has admin/password. Docker sets HOST=0.0.0.0 (Dockerfile).
        host=host or env.get('HOST') or '127.0.0.1',
        port=port or int(env.get('PORT') or 8080),
        demo=demo,
        native=native,
        language=env.get('DEFAULT_LANGUAGE') or 'en',
        bcrypt_rounds=int(env.get('BCRYPT_ROUNDS') or 12),
        upload_max_mb=float(env.get('UPLOAD_MAX_MB') or 10),
        upload_types=frozenset(t.strip() for t in env['UPLOAD_TYPES'].split(',') if t.strip())
        if env.get('UPLOAD_TYPES') else None,
        oauth_providers=oauth_providers(env),
        public_url=(env.get('PUBLIC_URL') or '').rstrip('/') or None,
        cors_origins=_origins(env.get('CORS_ORIGINS')),
        trusted_proxies=_networks(env.get('TRUSTED_PROXIES')),
        rate_limit_api=_rate(env.get('RATE_LIMIT_API'), 'RATE_LIMIT_API', API_RATE),
        rate_limit_auth=_rate(env.get('RATE_LIMIT_AUTH'), 'RATE_LIMIT_AUTH', AUTH_RATE),
        log_format=_choice((env.get('LOG_FORMAT') or 'text').lower(), 'LOG_FORMAT', ('text', 'json')),
        log_level=_choice((env.get('LOG_LEVEL') or 'INFO').upper(), 'LOG_LEVEL', ('DEBUG', 'INFO', 'WARNING', 'ERROR')),
        database_pool_size=_whole(env.get('DATABASE_POOL_SIZE'), 'DATABASE_POOL_SIZE', 30),
        smtp=smtp_settings(env),
        slack_webhook_url=_web_url(env.get('SLACK_WEBHOOK_URL'), 'SLACK_WEBHOOK_URL'),
        **telegram_settings(env),
        secure_cookies=_truthy(env.get('SECURE_COOKIES')) if env.get('SECURE_COOKIES')
        else (env.get('PUBLIC_URL') or '').startswith('https://'),
        body_max_kb=_whole(env.get('BODY_MAX_KB'), 'BODY_MAX_KB', 1024),
        webhooks_allow_private=_truthy(env.get('WEBHOOKS_ALLOW_PRIVATE')),
        webhooks_disable_after=_whole(env.get('WEBHOOKS_DISABLE_AFTER'), 'WEBHOOKS_DISABLE_AFTER', 10),
        patches=_choice((env.get('PATCHES') or 'on').lower(), 'PATCHES', ('on', 'off')) == 'on',
    )


SMTP_PORTS = {'none': 25, 'starttls': 587, 'tls': 465}


def smtp_settings(env: dict[str, str | None]) -> SmtpSettings | None:
    """The SMTP server when SMTP_HOST is set; the port follows SMTP_TLS unless SMTP_PORT says otherwise."""
    host = (env.get('SMTP_HOST') or '').strip()
    if not host:
        return None
    tls = _choice((env.get('SMTP_TLS') or 'none').lower(), 'SMTP_TLS', tuple(SMTP_PORTS))
    sender = (env.get('SMTP_FROM') or '').strip()
    if not re.fullmatch(r'[^@\s<>]+@[^@\s<>]+', parseaddr(sender)[1]):
        raise ValueError(f'SMTP_FROM={sender!r}: set the address notification email comes from, like '
                         '"desk@example.com" or "Switchboard <desk@example.com>"')
    port = env.get('SMTP_PORT')
    if port and not port.isdigit():
        raise ValueError(f'SMTP_PORT={port!r}: expected a port number')
    return SmtpSettings(host=host, port=int(port) if port else SMTP_PORTS[tls], tls=tls, sender=sender,
                        user=env.get('SMTP_USER') or None, password=env.get('SMTP_PASSWORD') or None)


def telegram_settings(env: dict[str, str | None]) -> dict[str, object]:
    """The Telegram bot's settings; webhook mode needs PUBLIC_URL and a secret Telegram may send as a header."""
    mode = _choice((env.get('TELEGRAM_MODE') or 'polling').lower(), 'TELEGRAM_MODE', ('polling', 'webhook'))
    secret = env.get('TELEGRAM_WEBHOOK_SECRET') or None
    if secret is not None and not re.fullmatch(r'[A-Za-z0-9_-]{16,256}', secret):
        raise ValueError('TELEGRAM_WEBHOOK_SECRET: 16-256 letters, digits, "_" or "-" (what Telegram accepts)')
    if env.get('TELEGRAM_BOT_TOKEN') and mode == 'webhook' and not (secret and env.get('PUBLIC_URL')):
        raise ValueError('TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET and PUBLIC_URL (where Telegram pushes)')
    timeout = env.get('TELEGRAM_POLL_TIMEOUT') or '30'
    if not timeout.isdigit() or not 0 <= int(timeout) <= 50:
        raise ValueError(f'TELEGRAM_POLL_TIMEOUT={timeout!r}: expected seconds from 0 to 50')
    return {'telegram_bot_token': env.get('TELEGRAM_BOT_TOKEN') or None,
            'telegram_api_url': _web_url(env.get('TELEGRAM_API_URL'), 'TELEGRAM_API_URL') or TELEGRAM_API,
            'telegram_mode': mode, 'telegram_webhook_secret': secret, 'telegram_poll_timeout': int(timeout)}


def oauth_providers(env: dict[str, str | None]) -> tuple[OAuthProvider, ...]:
    """Discord when DISCORD_CLIENT_ID is set; one generic OpenID Connect / OAuth 2.0 provider when OIDC_CLIENT_ID is."""
    providers: list[OAuthProvider] = []
    if env.get('DISCORD_CLIENT_ID'):
        # Tests point DISCORD_API_BASE at a local stand-in; the real API serves all three endpoints under it.
        base = (env.get('DISCORD_API_BASE') or 'https://discord.com/api').rstrip('/')
        providers.append(OAuthProvider(
            key='discord', name='Discord', client_id=env['DISCORD_CLIENT_ID'] or '',
            client_secret=env.get('DISCORD_CLIENT_SECRET') or '', authorize_url=f'{base}/oauth2/authorize',
            token_url=f'{base}/oauth2/token', userinfo_url=f'{base}/users/@me', scope='identify'))
    if env.get('OIDC_CLIENT_ID'):
        name = env.get('OIDC_NAME') or 'OpenID'
        key = re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')[:32] or 'oidc'
        if not env.get('OIDC_DISCOVERY_URL') and not (env.get('OIDC_AUTHORIZE_URL') and env.get('OIDC_TOKEN_URL')):
            raise ValueError('OIDC_CLIENT_ID needs OIDC_DISCOVERY_URL, or OIDC_AUTHORIZE_URL and OIDC_TOKEN_URL')
        if any(provider.key == key for provider in providers):
            raise ValueError(f'OIDC_NAME {name!r} is taken by a built-in provider; choose another name')
        providers.append(OAuthProvider(
            key=key, name=name, client_id=env['OIDC_CLIENT_ID'] or '',
            client_secret=env.get('OIDC_CLIENT_SECRET') or '',
            discovery_url=env.get('OIDC_DISCOVERY_URL') or None, authorize_url=env.get('OIDC_AUTHORIZE_URL') or None,
            token_url=env.get('OIDC_TOKEN_URL') or None, userinfo_url=env.get('OIDC_USERINFO_URL') or None,
            # ID tokens are verified with the keys the discovery document names; without it, plain OAuth 2.0.
            scope=env.get('OIDC_SCOPE')
            or ('openid profile email' if env.get('OIDC_DISCOVERY_URL') else 'profile email')))
    return tuple(providers)


def _stored_secret(data_dir: Path) -> str:
    # Generated once and kept, so sessions survive a restart of the local demo.
    path = data_dir / 'secret_key'
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _truthy(value: str | None) -> bool:
    return (value or '').lower() in {'1', 'true', 'yes', 'on'}


def _items(value: str | None) -> list[str]:
    return [item.strip() for item in (value or '').split(',') if item.strip()]


def _origins(value: str | None) -> tuple[str, ...]:
    # Browsers send an Origin without a path or a trailing slash; one written with it would never match.
    origins = tuple(origin.rstrip('/') for origin in _items(value))
    for origin in origins:
        if origin != '*' and not re.fullmatch(r'https?://[^/\s]+', origin):
            raise ValueError(f'CORS_ORIGINS: {origin!r} is not an origin like "https://app.example.com" (or "*")')
    return origins


def _networks(value: str | None) -> tuple[str, ...]:
    try:
        return tuple(str(ipaddress.ip_network(item, strict=False)) for item in _items(value))
    except ValueError as error:
        raise ValueError(f'TRUSTED_PROXIES: {error}; expected addresses or networks like "10.0.0.0/8"') from None


def _web_url(value: str | None, name: str) -> str | None:
    url = (value or '').strip()
    if url and not re.fullmatch(r'https?://[^/\s]+(/\S*)?', url):
        raise ValueError(f'{name}={url!r}: expected an http(s) URL')
    return url or None


def _rate(value: str | None, name: str, default: Rate) -> Rate:
    return Rate.parse(value, name) if value else default


def _whole(value: str | None, name: str, default: int) -> int:
    if not value:
        return default
    if not value.strip().isdigit() or int(value) < 1:
        raise ValueError(f'{name}={value!r}: expected a whole number of at least 1')
    return int(value)


def _choice(value: str, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f'{name}={value!r}: expected one of {", ".join(choices)}')
    return value
