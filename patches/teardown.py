"""Removed elements are freed at once, not by the garbage collector: their reference cycles are cut on removal.

Each NiceGUI element holds its props, classes and style, each with a change handler bound to itself, and click
handlers that close over the page: reference cycles, so a removed element (a closed tab's whole page, a row that
left a list) waits for a full collection. patches.gc_policy freezes long-lived objects to keep full collections
away from a thousand open tabs, so those cycles would sit in the frozen set until its next sweep: in
bench/live_load.py the pages of signed-in-then-closed tabs held hundreds of megabytes. Cutting the cycles lets
reference counting free a page when it goes.
"""

from __future__ import annotations

from collections.abc import Iterable

from nicegui import Client
from nicegui.element import Element

from .guard import Versions, broken, guarding

VERIFIED = {'nicegui': Versions('>=3.18.0,<3.19')}
_original = Client.remove_elements
_original_delete = Client.delete


def _remove_elements(self: Client, elements: Iterable[Element]) -> None:
    removed = list(elements)
    _original(self, removed)
    for element in removed:
        _cut(element)


def _cut(element: Element) -> None:
    for observed in (element._props, element._classes, element._style):  # the cycles live there
        observed._change_handlers.clear()
    for name, value in vars(element).items():  # callbacks kept by kind: on_value_change, on_upload, on_click...
        if name.endswith('_handlers') and isinstance(value, (list, dict)):
            value.clear()
    element._event_listeners.clear()  # click handlers close over the page (ui.tab.Tab), which holds the client


def _delete(self: Client) -> None:
    """A deleted client lets go of its handlers: they are bound to page objects (ui.live.LiveTab, ui.tab.Tab)
    that hold the client, a cycle per page load that the frozen collector would keep for a whole sweep."""
    try:
        _original_delete(self)
    finally:
        for handlers in (self.connect_handlers, self.disconnect_handlers, self.delete_handlers,
                         self._exception_handlers):
            handlers.clear()
        self.outbox.message_history.clear()  # kept for reconnects, which a deleted client no longer takes


def install() -> None:
    Client.remove_elements = _remove_elements  # type: ignore[method-assign]
    Client.delete = _delete  # type: ignore[method-assign]


def uninstall() -> None:
    Client.remove_elements = _original  # type: ignore[method-assign]
    Client.delete = _original_delete  # type: ignore[method-assign]


def installed() -> bool:
    return Client.remove_elements is _remove_elements


def check() -> None:
    """An element's observables and listeners are where `_cut` finds them, and cutting them on removal frees the
    element and its props, classes and style by reference counting alone."""
    import gc
    import weakref

    from nicegui import ui
    from nicegui.page import page

    with guarding('nicegui', VERIFIED, "cutting a removed element's reference cycles"):
        with Client(page('')) as client:
            column = ui.column()
            with column:
                button = ui.button('probe')
            button.on_click(button.disable)  # a handler that holds its element: a cycle, as pages make
            button.props('flat').classes('p-1').style('color: red')
        if not all(observed._change_handlers for observed in (button._props, button._classes, button._style)):
            raise broken('nicegui', VERIFIED, 'props, classes and style no longer keep their change handlers in '
                         '`_change_handlers`')
        if not button._event_listeners:
            raise broken('nicegui', VERIFIED, 'a click handler is no longer kept in `_event_listeners`')
        gone = [weakref.ref(thing) for thing in (button, button._props, button._classes, button._style)]
        was_installed = installed()
        install()
        gc.disable()  # only reference counting may free it
        try:
            column.remove(button)  # through Client.remove_elements, as every removal goes
            del button
            freed = all(ref() is None for ref in gone)
        finally:
            gc.enable()
            if not was_installed:
                uninstall()
            client.delete()
        if not freed:
            raise broken('nicegui', VERIFIED, 'a removed element, or its props, classes or style, outlived the cut')
