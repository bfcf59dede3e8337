"""What the operator reads at start: where the app listens, and whether the demo's users are open to others."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from settings import Settings

log = logging.getLogger('switchboard')


def announce_listening(settings: Settings) -> None:
    """One line at start: the address and port, and whether other machines may connect."""
    reach = 'reachable from other machines' if settings.reachable_from_other_machines else \
        'this machine only; set HOST to serve others'
    log.info('listening on http://%s:%s (%s)', _host(settings.host), settings.port, reach)


def announce_demo(settings: Settings, users: Iterable[tuple[str, str]]) -> None:
    """Once seeding is done: the demo's usernames and passwords, a warning when others can reach them."""
    pairs = ', '.join(f'{username}/{password}' for username, password in users)
    if settings.reachable_from_other_machines:
        log.warning('demo users exist and the app listens on %s: anyone who reaches port %s can sign in as %s. '
                    'Set HOST=127.0.0.1, or run without the demo (PostgreSQL via DATABASE_URL, DEMO unset)',
                    settings.host, settings.port, pairs)
    else:
        log.info('demo users exist: %s (sign in at http://%s:%s)', pairs, _host(settings.host), settings.port)


def _host(host: str) -> str:
    return f'[{host}]' if ':' in host else host  # an IPv6 address in a URL
