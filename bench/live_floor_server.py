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
import traceback
from collections.abc import Callable

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
async def freeze() -> Response:
    gc.collect()
    gc.freeze()
    return Response(str(len(PAGES)))


@app.post('/text')
async def text(token: str) -> Response:
    return _each(lambda label, _: label.set_text(token))


@app.post('/append')
async def append(token: str) -> Response:
    def add(_: ui.label, column: ui.column) -> None:
        with column:
            ui.label(token)
    return _each(add)


def _each(change: Callable[[ui.label, ui.column], None]) -> Response:
    """The change in every open tab; one tab's failure is logged and does not keep it from the others. On the event
    loop (the endpoints are async): from FastAPI's thread pool, as plain `def` endpoints run, an append raced the
    outbox, which cleared a new label's update while another thread was adding it, and about one tab in a thousand
    never got the label."""
    failed = 0
    for label, column in list(PAGES.values()):
        if column.is_deleted:
            continue
        try:
            change(label, column)
        except Exception:
            failed += 1
            if failed == 1:
                traceback.print_exc()
    return Response(str(failed))  # the bench reports failures (their tabs count as lost), with this log's path


if __name__ in {'__main__', '__mp_main__'}:
    ui.run(host='127.0.0.1', port=int(sys.argv[1]), reload=False, show=False, access_log=False,
           ws_per_message_deflate=False, reconnect_timeout=10.0, title='floor')
