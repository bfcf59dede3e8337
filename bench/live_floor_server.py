"""NiceGUI's own floor for bench/live_load.py: a bare page, and POSTs that change it in every open tab.

    python bench/live_floor_server.py PORT

GET / : a label and a few static elements. POST /freeze: collect, then gc.freeze() (the bench calls it once the
tabs are connected, as the app's collector policy freezes its tabs). POST /text?token=T: the label shows T in every
tab. POST /append?token=T: one new ui.label(T) in every tab's column. Socket settings as main.py's (compression
off, the same reconnect timeout), so the only difference left is what the page is.
"""

from __future__ import annotations

import gc
import sys

from fastapi import Response
from nicegui import app, ui

PAGES: dict[str, tuple[ui.label, ui.column]] = {}  # client id -> what the POSTs change


@ui.page('/')
def page() -> None:
    client = ui.context.client
    ui.label('Floor').classes('text-h5')
    label = ui.label('waiting')
    with ui.row():
        ui.button('Static')
        ui.link('A link', '/')
    column = ui.column()
    PAGES[client.id] = (label, column)
    client.on_delete(lambda: PAGES.pop(client.id, None))


@app.post('/freeze')
def freeze() -> Response:
    gc.collect()
    gc.freeze()
    return Response(str(len(PAGES)))


@app.post('/text')
def text(token: str) -> Response:
    for label, _ in list(PAGES.values()):
        label.set_text(token)
    return Response(str(len(PAGES)))


@app.post('/append')
def append(token: str) -> Response:
    for _, column in list(PAGES.values()):
        with column:
            ui.label(token)
    return Response(str(len(PAGES)))


if __name__ in {'__main__', '__mp_main__'}:
    ui.run(host='127.0.0.1', port=int(sys.argv[1]), reload=False, show=False, access_log=False,
           ws_per_message_deflate=False, reconnect_timeout=10.0, title='floor')
