"""One simulated browser tab: GET the page, hold NiceGUI's socket.io connection, emit UI events, watch updates.

Speaks like nicegui/static/nicegui.js: the page's HTML carries the element tree (`parseElements(String.raw`...`)`)
and `query: {'client_id': ..., 'next_message_id': ...}`; the socket connects to /_nicegui_ws/socket.io/ with
those plus `implicit_handshake=true`, `tab_id` and `document_id`; events are `event` messages naming the element
id and the listener id; messages carrying `_id` advance `next_message_id`, acked every 3 s.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

import aiohttp
import socketio
from nicegui import json as fast_json  # NiceGUI's own orjson wrapper, the server's decoder too

TOKEN_PREFIX = 'LT-'
ELEMENTS = re.compile(r'parseElements\(String\.raw`(.*?)`\)', re.DOTALL)
QUERY = re.compile(r"query: \{'client_id': '([0-9a-f-]+)', 'next_message_id': (\d+)")
ROW_STATUS = re.compile(r'data-status="([^"]*)"')
BUBBLE_TOKEN = re.compile(r'<div>(LT-[^<]*)</div>')
HTML_TOKEN = re.compile(r'>(LT-[^<]*)<')  # a token as the text of any tag: a row's title, a desk row's preview
Arrival = tuple[str, int, float]  # (token or 'badge:<text>', tab id, monotonic time)
# What a browser's script answers when the page awaits ui.run_javascript (ui/when.py asks the time zone); any other
# awaited call (the chat widget reading its frame's storage) gets null, as from a browser with empty storage.
SCRIPT_ANSWERS = {'Intl.DateTimeFormat().resolvedOptions().timeZone': 'UTC'}


class PageError(RuntimeError):
    pass


def parse_page(html: str) -> tuple[dict[int, dict[str, Any]], str, int]:
    elements, query = ELEMENTS.search(html), QUERY.search(html)
    if not elements or not query:
        raise PageError('no NiceGUI page in the response')
    tree = {int(key): value for key, value in json.loads(elements.group(1)).items()}
    return tree, query.group(1), int(query.group(2))


def find(elements: dict[int, dict[str, Any]], label: str, event: str) -> tuple[int, str]:
    """The element labelled `label` with a listener for `event` (a prefix, e.g. 'update:'): (id, listener id)."""
    for element_id, element in elements.items():
        if (element.get('props') or {}).get('label') != label:
            continue
        for listener in element.get('events') or []:
            if listener['type'].startswith(event):
                return element_id, listener['listener_id']
    raise PageError(f'no element labelled {label!r} with a {event!r} listener')


class SimTab:
    def __init__(self, tab_id: int, base_url: str, path: str, http: aiohttp.ClientSession,
                 record: Callable[[Arrival], None], *, keep_elements: bool = False, address: str = '') -> None:
        self.tab_id = tab_id
        self.address = address  # the browser's own address, as a proxy the server trusts names it (live_server.py)
        self.base_url = base_url
        self.path = path
        self.http = http
        self.record = record
        self.keep_elements = keep_elements  # only the tabs that act later need the current tree
        self.elements: dict[int, dict[str, Any]] = {}
        self.client_id = ''
        self.next_message_id = 0
        self.acked = -1
        self.sio: socketio.AsyncClient | None = None
        self.messages: list[tuple[str, float]] = []  # (event, time) while someone listens (login)
        self.listening = False
        self.disconnects: list[str] = []
        self.shown: dict[int, Counter[str]] = {}  # element id -> tokens shown in it as messages, and how often
        self.in_rows: set[str] = set()  # tokens shown in list rows: the first showing counts (rows are reused)

    async def open(self) -> None:
        headers = {'X-Forwarded-For': self.address} if self.address else {}
        async with self.http.get(self.base_url + self.path, headers=headers) as response:
            if response.status != 200:
                raise PageError(f'GET {self.path}: {response.status}')
            html = await response.text()
        elements, self.client_id, self.next_message_id = parse_page(html)
        self.elements = elements
        query = urlencode({'client_id': self.client_id, 'next_message_id': self.next_message_id,
                           'implicit_handshake': 'true', 'tab_id': str(uuid.uuid4()),
                           'document_id': str(uuid.uuid4())})
        # Its own aiohttp session: with a shared one (http_session=), garbage collection of engineio/aiohttp
        # objects closed the websockets of other tabs of the same browser (seen as CLOSED a few seconds in).
        # The socket needs no cookie: NiceGUI ties it to the page by client_id.
        self.sio = socketio.AsyncClient(reconnection=False, handle_sigint=False, json=fast_json)
        self.sio.on('*', self._on_message)
        self.sio.on('disconnect', self._on_disconnect)
        await self.sio.connect(f'{self.base_url}/?{query}', transports=['websocket'],
                               socketio_path='/_nicegui_ws/socket.io', wait_timeout=10)
        if not self.keep_elements:
            self.elements = {}

    async def _on_disconnect(self, reason: object = None) -> None:
        self.disconnects.append(f'tab {self.tab_id} lost its socket at {time.monotonic():.1f}: {reason}')

    async def _on_message(self, event: str, data: Any = None) -> None:
        now = time.monotonic()
        if isinstance(data, dict) and '_id' in data:
            message_id = data.pop('_id')
            if message_id < self.next_message_id:
                return  # a replayed message this tab has seen
            self.next_message_id = message_id + 1
        if self.listening:
            self.messages.append((event, now))
        if event == 'run_javascript' and isinstance(data, dict) and data.get('request_id'):
            await self._answer_script(data)
        if event != 'update' or not isinstance(data, dict):
            return
        for element_id, element in data.items():
            if element is None:  # deleted, e.g. the sign-in form once the page it led to shows
                self.elements.pop(int(element_id), None)
                continue
            # A block rewrites all its bubbles when one is added: a token counts where it shows once more.
            if tokens := _bubble_tokens(element):
                seen = self.shown.setdefault(int(element_id), Counter())
                for token in tokens:
                    for _ in range(tokens[token] - seen[token]):
                        self.record((token, self.tab_id, now))
                seen |= tokens
            else:
                for token in _row_tokens(element, self.in_rows):
                    self.record((token, self.tab_id, now))
            text = element.get('text')
            if text and isinstance(text, str):
                if text.startswith(TOKEN_PREFIX):
                    self.record((text, self.tab_id, now))
                elif element.get('tag') == 'q-badge':
                    self.record(('badge:' + text, self.tab_id, now))
            status = _row_status(element)
            if status is not None:
                self.record(('badge:' + status, self.tab_id, now))
            if self.keep_elements:
                self.elements[int(element_id)] = element

    async def _answer_script(self, data: dict[str, Any]) -> None:
        """As nicegui.js's runJavascript does. Unanswered, the page waits out its timeout on every tab (ui/when.py:
        5 s), and a message it sends meanwhile made sign_in believe the sign-in had been answered."""
        assert self.sio is not None
        await self.sio.emit('javascript_response', {'request_id': data['request_id'], 'client_id': self.client_id,
                                                    'result': SCRIPT_ANSWERS.get(data.get('code', ''))})

    async def emit_event(self, element_id: int, listener_id: str, args: list[Any]) -> None:
        assert self.sio is not None
        await self.sio.emit('event', {'id': element_id, 'client_id': self.client_id, 'listener_id': listener_id,
                                      'args': [json.dumps(arg) for arg in args]})

    async def find(self, label: str, event: str, wait: float = 10.0) -> tuple[int, str]:
        """An async sub page may finish after the HTML was sent: its elements then come in updates."""
        deadline = time.monotonic() + wait
        while True:
            try:
                return find(self.elements, label, event)
            except PageError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.05)

    async def set_value(self, label: str, value: Any) -> None:
        element_id, listener_id = await self.find(label, 'update:')
        await self.emit_event(element_id, listener_id, [value])

    async def click(self, label: str) -> None:
        element_id, listener_id = await self.find(label, 'click')
        await self.emit_event(element_id, listener_id, [])

    async def send_message(self, text: str, button: str = 'Send') -> float:
        """Type into "Message" and click "Send" (the desk's "Reply") as a person does; returns the time of the click."""
        await self.set_value('Message', text)
        sent = time.monotonic()
        await self.click(button)
        return sent

    async def create_request(self, title: str) -> float:
        """As a person on the board: "New request", a title and a description, "Create"; the time of the click."""
        await self.click('New request')
        await self.set_value('Title', title)
        await self.set_value('Description', f'{title}: made by bench/live_load.py')
        sent = time.monotonic()
        await self.click('Create')
        return sent

    async def choose(self, label: str, option: str) -> float:
        """Pick `option` in the select labelled `label` (q-select sends {value: index, label})."""
        element_id, listener_id = await self.find(label, 'update:')
        options = self.elements[element_id]['props']['options']
        index = next(o['value'] for o in options if o['label'] == option)
        sent = time.monotonic()
        await self.emit_event(element_id, listener_id, [{'value': index, 'label': option}])
        return sent

    async def ack(self) -> None:
        if self.sio is not None and self.sio.connected and self.acked < self.next_message_id:
            await self.sio.emit('ack', {'client_id': self.client_id, 'next_message_id': self.next_message_id})
            self.acked = self.next_message_id

    async def close(self) -> None:
        if self.sio is not None and self.sio.connected:
            await self.sio.disconnect()


    @property
    def connected(self) -> bool:
        return self.sio is not None and self.sio.connected


async def sign_in(base_url: str, http: aiohttp.ClientSession, username: str, password: str, spec_path: str,
                  tab_id: int, record: Callable[[Arrival], None], *, keep_elements: bool, address: str = '',
                  wait: float = 15.0) -> SimTab:
    """Sign in as a person does and keep the tab: the page's sign-in form at /login?redirect_to=<path>, driven over
    the socket, whose answer shows <path> in the same page (NiceGUI's sub pages: no reload, one socket).

    The server keeps the session token in this browser's `app.storage.user` (the `session` cookie in `http`'s
    jar names the browser); later GETs with the same jar, the user's further tabs, are signed in.
    """
    tab = SimTab(tab_id, base_url, f'/login?redirect_to={quote(spec_path)}', http, record, keep_elements=True,
                 address=address)
    await tab.open()
    try:
        tab.listening = True
        await tab.set_value('Username', username)
        await tab.set_value('Password', password)
        await tab.click('Sign in')
        # Answered when the form is gone (its elements deleted, the page it led to in their place) and the updates
        # have settled. Waiting only for a quiet moment after any message, a busy server's first unrelated message
        # (the time zone question) let the next sign-ins start early: more at once than the throttle lets one
        # address try (domain/accounts/throttle.py), and refused tabs stayed on the form, unable to send.
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            gone = not any(_labelled(element, 'Username') for element in tab.elements.values())
            if gone and time.monotonic() - tab.messages[-1][1] > 0.2:
                break
            await asyncio.sleep(0.05)
        else:
            alerts = [e.get('text') for e in tab.elements.values() if (e.get('props') or {}).get('role') == 'alert']
            raise PageError(f'sign-in of {username} did not lead on within {wait:.0f} s: {alerts}')
    except BaseException:
        await tab.close()
        raise
    tab.listening, tab.messages, tab.path = False, [], spec_path
    if not keep_elements:
        tab.keep_elements, tab.elements = False, {}
    return tab


def browser_address(number: int) -> str:
    """A made-up address for browser `number` (10.0.0.0/8): each browser comes from its own, as people do, so the
    app's limits per address (sign-in throttle, widget sends) see many people, not one machine."""
    return f'10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}'


def _labelled(element: dict[str, Any], label: str) -> bool:
    return (element.get('props') or {}).get('label') == label


def _row_status(element: dict[str, Any]) -> str | None:
    """The status shown in a list row that is one HTML element (ui/components/html_cells.py)."""
    content = element.get('props', {}).get('innerHTML')
    found = ROW_STATUS.search(content) if isinstance(content, str) else None
    return html.unescape(found.group(1)) if found else None


def _row_tokens(element: dict[str, Any], seen: set[str]) -> list[str]:
    """Tokens a row written as HTML shows for the first time in this tab (html_cells, desk_row); adds them to seen."""
    content = element.get('props', {}).get('innerHTML')
    if not isinstance(content, str) or TOKEN_PREFIX not in content:
        return []
    new = [token for token in dict.fromkeys(HTML_TOKEN.findall(content)) if token not in seen]
    seen.update(new)
    return new


def _bubble_tokens(element: dict[str, Any]) -> Counter[str]:
    """The tokens shown as messages' texts in a block of chat bubbles written as HTML
    (ui/components/message_block.py), each as often as it shows."""
    content = element.get('props', {}).get('innerHTML')
    if not isinstance(content, str) or 'q-message' not in content:
        return Counter()
    return Counter(BUBBLE_TOKEN.findall(content))
