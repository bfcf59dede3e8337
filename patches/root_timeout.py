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

RESPONSE_TIMEOUT = 20.0  # seconds


def install() -> None:
    handler_module.page = functools.partial(page, response_timeout=RESPONSE_TIMEOUT)  # type: ignore[attr-defined]
