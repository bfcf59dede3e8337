"""The pages' socket.io endpoint answers only pages of this app, not scripts on other sites riding the session cookie.

NiceGUI starts socket.io with `cors_allowed_origins='*'`, which engine.io answers by reflecting any Origin with
credentials allowed. Ours: the origin the request itself came to (its Host), PUBLIC_URL, and the CORS_ORIGINS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

OriginCheck = Callable[[str | None, dict[str, Any]], bool]
DEFAULT_PORTS = {'http': '80', 'https': '443'}


def restrict(sio: Any, *, public_url: str | None, cors_origins: Iterable[str]) -> None:
    """Set engine.io's public `cors_allowed_origins` (a callable of the origin and the request) on `sio`."""
    sio.eio.cors_allowed_origins = own_origin(public_url=public_url, cors_origins=cors_origins)


def own_origin(*, public_url: str | None, cors_origins: Iterable[str]) -> OriginCheck:
    # "*" opens the API to every site, which is safe there (bearer tokens, no cookies); the socket rides the
    # session cookie, so a wildcard is no permission here.
    configured = {_normal(origin) for origin in (public_url, *cors_origins) if origin and origin != '*'}
    configured.discard(None)

    def allowed(origin: str | None, environ: dict[str, Any]) -> bool:
        if not origin:
            return False
        normal = _normal(origin)
        if normal is None:
            return False
        host = environ.get('HTTP_HOST', '').strip().lower()
        scheme, netloc = normal
        return normal in configured or (bool(host) and _netloc(scheme, host) == netloc)
    return allowed


def _normal(origin: str) -> tuple[str, str] | None:
    """(scheme, host[:port]) without the scheme's default port; None for what is no web origin."""
    try:
        parts = urlsplit(origin.strip().lower())
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.netloc:
        return None
    return parts.scheme, _netloc(parts.scheme, parts.netloc)


def _netloc(scheme: str, netloc: str) -> str:
    default = f':{DEFAULT_PORTS[scheme]}'  # "desk.example:443" is the Host of https://desk.example
    return netloc.removesuffix(default)
