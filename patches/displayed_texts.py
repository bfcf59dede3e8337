"""What NiceGUI's simulated `User` reads in an element written as markup: its texts, through a private hook.

`User.find`/`should_see` match text against each element's private `_displayed_contents()`. An element that
writes its own HTML (a list row, the header's links, a block of chat bubbles) would offer its markup there, so a
test would match tags and escaped entities rather than what a person reads. Elements that mix in `ShowsTexts`
say what they show with `shown_texts()`. This changes nothing the app does, so PATCHES=off leaves it on; NiceGUI
outside the verified range takes it off (tests then read the markup).
"""

from __future__ import annotations

from typing import Any

from nicegui import ui

from .guard import Versions, broken, guarding

VERIFIED = {'nicegui': Versions('>=3.18.0,<3.19')}
SPEED_UP = False


class ShowsTexts:
    """Mixed in before a `ui.html` (or any element) whose markup a person does not read as written."""

    def shown_texts(self) -> list[str]:
        raise NotImplementedError


def _displayed_contents(self: Any, *, only_visible: bool) -> list[Any]:
    return [*ui.element._displayed_contents(self, only_visible=only_visible), *self.shown_texts()]


def install() -> None:
    ShowsTexts._displayed_contents = _displayed_contents  # type: ignore[attr-defined]


def uninstall() -> None:
    if '_displayed_contents' in vars(ShowsTexts):
        del ShowsTexts._displayed_contents  # type: ignore[attr-defined]


def installed() -> bool:
    return '_displayed_contents' in vars(ShowsTexts)


class _Probe(ShowsTexts, ui.html):
    def shown_texts(self) -> list[str]:
        return ['what a person reads']


def check() -> None:
    """NiceGUI's element filter (what `User.find` uses) finds an element by the texts its hook gives."""
    from nicegui import Client, ElementFilter
    from nicegui.page import page

    was_installed = installed()
    install()
    try:
        with guarding('nicegui', VERIFIED, "the element filter's `_displayed_contents` hook"), \
                Client(page('')) as client:
            probe = _Probe('<b>markup</b>', sanitize=False)
            found = list(ElementFilter(kind=ui.html, content='what a person reads', local_scope=False))
            client.delete()
        if probe not in found:
            raise broken('nicegui', VERIFIED, 'ElementFilter no longer reads an element\'s `_displayed_contents`')
    finally:
        if not was_installed:
            uninstall()
