"""Sub pages whose "not found" and error notices are the app's own: NiceGUI's private renderers, overridden.

`ui.sub_pages` shows "404: sub page /x not found" and "500: sub page /x produced an error" in English through its
private `_render_404` and `_render_error`, and has no public way to replace them. The app's notices speak the tab's
language and offer a way back. Without the patch, NiceGUI's own notices show; everything else is the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from .guard import Switch, Versions, broken, guarding

VERIFIED = {'nicegui': Versions('>=3.18.0,<3.19')}
_switch = Switch()
install, uninstall, installed = _switch.install, _switch.uninstall, _switch.installed


class SubPages(ui.sub_pages):
    """`ui.sub_pages` showing `not_found()` for an unknown path and `failed(path, error)` for a page that raised."""

    def __init__(self, routes: dict[str, Callable[..., Any]], *, not_found: Callable[[], None],
                 failed: Callable[[str, Exception], None], **kwargs: Any) -> None:
        self.not_found, self.failed = not_found, failed  # before NiceGUI's __init__, which already shows a page
        super().__init__(routes, **kwargs)

    def _render_404(self) -> None:
        if not _switch.on:
            super()._render_404()
            return
        self.not_found()

    def _render_error(self, error: Exception) -> None:
        if not _switch.on:
            super()._render_error(error)
            return
        self.failed(self._router.current_path, error)


def check() -> None:
    """An unknown path is shown through `_render_404`, and a page that raises through `_render_error`."""
    from nicegui import Client
    from nicegui.page import page

    shown: list[str] = []
    was_installed = installed()
    install()
    try:
        with guarding('nicegui', VERIFIED, "sub pages' private renderers"), Client(page('')) as client:
            SubPages({'/elsewhere': lambda: None}, not_found=lambda: shown.append('not found'),
                     failed=lambda path, error: shown.append(f'failed {path}'))
            path = client.sub_pages_router.current_path
            client.delete()
        if 'not found' not in shown:
            raise broken('nicegui', VERIFIED, f'an unknown sub page ({path}) is no longer shown through _render_404')
        if '_render_error' not in ui.sub_pages._render_page.__code__.co_names:
            raise broken('nicegui', VERIFIED, 'a failing sub page is no longer shown through _render_error')
    finally:
        if not was_installed:
            uninstall()
