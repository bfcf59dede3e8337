"""Patches of, and reliance on, other libraries' private internals: each guarded, version-ranged and switchable.

Each module here says what it patches and why (its docstring, with the measurement), the versions it was verified
for (`VERIFIED`), and has `install()`, `uninstall()`, `installed()` and a `check()` that exercises the behaviour it
relies on; tests/patches/ runs every check. docs/patches.md lists them. The app runs without any of them.
"""

from __future__ import annotations

import logging
from importlib import import_module
from types import ModuleType

log = logging.getLogger(__name__)

# In the order they go in. Speed-ups make the app faster and are what the PATCHES setting turns off; a module with
# `SPEED_UP = False` is no speed-up (abandoned keeps a client that left from being logged as a server error,
# displayed_texts only tells NiceGUI's test `User` what an element shows) and stays, unless its library is outside
# the verified range.
NAMES = ('signature_cache', 'teardown', 'page_request', 'upload_route', 'root_timeout', 'outbox_wait', 'socket_wait',
         'socket_close', 'tab_storage', 'socket_emit', 'direct', 'param_reading', 'fast_path', 'abandoned', 'sub_pages',
         'displayed_texts', 'gc_policy')
LONG_RUNNING_ONLY = frozenset({'gc_policy'})  # a policy for a server that stays up, not for tests' short apps


def modules() -> dict[str, ModuleType]:
    """Imported on demand: storage imports `patches.direct` without pulling NiceGUI in through this package."""
    return {name: import_module(f'{__name__}.{name}') for name in NAMES}


def install_all(enabled: bool, *, long_running: bool = True) -> list[str]:
    """Install every patch whose libraries are in its verified range (all off with `enabled` False, except those
    that are no speed-up); return the names installed. Safe to call on every start of the app in one process."""
    from .guard import outside

    installed = []
    for name, module in modules().items():
        if name in LONG_RUNNING_ONLY and not long_running:
            continue
        if not enabled and getattr(module, 'SPEED_UP', True):
            module.uninstall()
            continue
        if unverified := outside(module.VERIFIED):
            log.warning('patch %s is off: %s; the app runs without it', name, ', '.join(unverified))
            module.uninstall()
            continue
        module.install()
        installed.append(name)
    log.info('patches in: %s', ', '.join(installed) or 'none')
    return installed
