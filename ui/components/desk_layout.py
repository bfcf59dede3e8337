"""The desk's panes and how they share the screen: three side by side on a wide screen, one at a time on a phone.

Widths (Tailwind's breakpoints): from `xl` (1280 px) list | conversation | context; from `md` (768 px) list |
conversation, the context behind a button; below `md` one pane at a time, chosen by the URL (the list at /inbox, the
conversation at /inbox/<id>) and the context behind the same button. Three panes wait for `xl` because from 1024 px
the navigation drawer stays beside the page (232 px): at 1024 it left the conversation some 150 px. The panes only
change classes when the selection changes: nothing is rebuilt to switch layouts, and the browser does the switching at
resize.
"""

from __future__ import annotations

from nicegui import app, ui

# The desk fills the window under the header, whatever the header's height (it wraps on a phone, more so in
# Russian): Quasar gives the page the window's height less the header's as min-height, and the rules below pass it
# down as flex space, so each pane scrolls on its own and the composer stays in view, as in any chat.
DESK = 'sb-desk w-full no-wrap gap-0 items-stretch'
LIST = 'sb-desk-list flex-none w-full md:w-72 xl:w-80 overflow-y-auto md:border-r gap-2 md:pr-3'
DETAIL = 'sb-desk-detail flex-1 min-w-0 md:pl-3'
CONVERSATION = 'sb-desk-conversation flex-1 min-w-0 h-full no-wrap gap-2 xl:pr-3'
CONTEXT = 'sb-desk-context flex-none w-full xl:w-72 h-full overflow-y-auto gap-4 xl:border-l xl:pl-3'
# A scroller whose one child is laid out from the bottom: it opens at the last message and stays there as messages
# arrive, with no script to scroll it.
MESSAGES = 'w-full flex-1 min-h-0 overflow-y-auto flex flex-col-reverse'

CSS = """
.q-page:has(.sb-desk) { display: flex; flex-direction: column; }
.q-page:has(.sb-desk) > .nicegui-content, .nicegui-sub-pages:has(> .sb-desk), .sb-desk {
  display: flex; flex: 1 1 0; min-height: 0; }
.nicegui-sub-pages:has(> .sb-desk) { flex-direction: column; }
.sb-desk-list, .sb-desk-context, .sb-desk-row { border-color: rgba(127, 127, 127, 0.25); }
.sb-desk-row:hover { background: rgba(127, 127, 127, 0.08); }
.sb-desk-row.sb-desk-selected { background: color-mix(in srgb, var(--q-primary) 14%, transparent);
  box-shadow: inset 3px 0 0 var(--q-primary); }
.sb-desk-link { color: inherit; text-decoration: none; }
.sb-desk-link::after { content: ''; position: absolute; inset: 0; }
.sb-desk-link:focus-visible { outline: none; }
.sb-desk-row:has(.sb-desk-link:focus-visible) { outline: 2px solid var(--q-primary); outline-offset: -2px; }
.sb-desk-detail > .nicegui-sub-pages { height: 100%; }
"""


def add_css() -> None:
    """The desk's few rules, once per tab (the desk may be opened several times in one tab)."""
    storage = app.storage.client
    if not storage.get('desk_css'):
        storage['desk_css'] = True
        ui.add_css(CSS)


def show_one(element: ui.element, hidden_below: str, hidden: bool) -> None:
    """Hide `element` below a breakpoint (`max-md`, `max-xl`) when `hidden`; a class change only when it changes."""
    name = f'{hidden_below}:hidden'
    if (name in element.classes) != hidden:
        element.classes(add=name) if hidden else element.classes(remove=name)
