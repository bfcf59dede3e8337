"""How long the root page may take to build before NiceGUI answers with an error page instead.

NiceGUI serves `ui.run(root)` through its 404 handler with `page('')`, whose response_timeout is 3 s. When a
thousand people sign in at once (bench/live_load.py), reading the session and the header's counts waited longer
than that on a saturated process, and those people got an error page (500) where a slower page would have done.
ui.run has no setting for it, so the handler's `page` is given a longer default here.
"""

from __future__ import annotations

import functools

import nicegui.nicegui as handler_module
from nicegui.page import page

from .guard import Versions, broken, guarding

VERIFIED = {'nicegui': Versions('>=3.18.0,<3.19')}
RESPONSE_TIMEOUT = 20.0  # seconds


def install() -> None:
    if not installed():
        handler_module.page = functools.partial(page, response_timeout=RESPONSE_TIMEOUT)  # type: ignore[attr-defined]


def uninstall() -> None:
    handler_module.page = page  # type: ignore[attr-defined]


def installed() -> bool:
    return isinstance(handler_module.page, functools.partial)


def check() -> None:
    """The 404 handler that serves the root page finds `page` among its module's globals when it is called, and a
    page made that way carries the longer timeout."""
    with guarding('nicegui', VERIFIED, 'the root page served through the 404 handler'):
        handler = handler_module._exception_handler_404
        if 'page' not in handler.__code__.co_names or handler.__globals__ is not vars(handler_module):
            raise broken('nicegui', VERIFIED, 'the root page is no longer made by `page` in nicegui.nicegui')
        if functools.partial(page, response_timeout=RESPONSE_TIMEOUT)('').response_timeout != RESPONSE_TIMEOUT:
            raise broken('nicegui', VERIFIED, '`page` no longer takes `response_timeout`')
