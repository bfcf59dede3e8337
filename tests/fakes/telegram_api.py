"""A stand-in for the Telegram Bot API on 127.0.0.1, in the test's event loop (aiohttp, which NiceGUI brings).

It answers what the desk calls: getUpdates (long polling from an offset, forgetting confirmed updates like
Telegram does), sendMessage, sendPhoto and sendDocument (multipart, recorded), getFile and the file download,
setWebhook and deleteWebhook. Tests queue customers' messages with `message(...)`, read what reached a chat in
`sent`, block a chat, and take the whole server down: `go_down()` closes its port (connections are refused),
`go_down(refuse=False)` keeps it open but answers 502 like a failing proxy; `come_back()` ends either.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.ports import free_port

TOKEN = '123456:TEST-token-for-the-fake'


@dataclass
class Sent:
    """One call that reached a chat."""

    chat_id: str
    method: str  # sendMessage | sendPhoto | sendDocument
    text: str = ''
    filename: str = ''
    data: bytes = b''
    content_type: str = ''


@dataclass
class FakeBotApi:
    token: str = TOKEN
    updates: list[dict[str, Any]] = field(default_factory=list)  # not yet confirmed by a later offset
    sent: list[Sent] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)  # chats that blocked the bot: 403 on sending
    offsets: list[int] = field(default_factory=list)  # what each getUpdates asked from
    webhook: dict[str, Any] | None = None
    calls: list[str] = field(default_factory=list)  # method names, in order
    failing: bool = False  # answering 502 to everything
    port: int = 0
    _files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file_id -> (file_path, contents)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _news: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f'http://127.0.0.1:{self.port}'

    async def start(self) -> None:
        if not self.port:
            self.port = free_port()
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route('*', '/bot{token}/{method}', self._method)
        app.router.add_get('/file/bot{token}/{path:.+}', self._file)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, '127.0.0.1', self.port, reuse_address=True).start()

    async def stop(self) -> None:
        """Close the port and every open connection (long polls answer first)."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            self._news.set()  # waiting getUpdates calls return now
            await runner.cleanup()

    async def go_down(self, *, refuse: bool = True) -> None:
        if refuse:
            await self.stop()
        else:
            self.failing = True
            self._news.set()

    async def come_back(self) -> None:
        self.failing = False
        if self._runner is None:
            await self.start()

    def message(self, chat_id: int, text: str = '', *, first_name: str = 'Ada', last_name: str = '',
                username: str = '', photo: bytes | None = None, document: tuple[str, bytes, str] | None = None,
                message_id: int | None = None) -> dict[str, Any]:
        """A customer writes to the bot: queue the update (text, or a caption with a photo or document)."""
        message: dict[str, Any] = {
            'message_id': message_id or next(self._ids), 'date': 1_700_000_000,
            'chat': {'id': chat_id, 'type': 'private', 'first_name': first_name, 'last_name': last_name,
                     'username': username},
            'from': {'id': chat_id, 'is_bot': False, 'first_name': first_name}}
        message['caption' if photo or document else 'text'] = text
        if photo is not None:  # Telegram sends a photo in several sizes, smallest first
            message['photo'] = [self._photo(b'thumbnail', 90, 60), self._photo(photo, 1280, 853),
                                self._photo(b'medium size', 320, 213)]
        if document is not None:
            name, data, mime = document
            message['document'] = {'file_id': self._add_file(f'documents/{name}', data), 'file_name': name,
                                   'mime_type': mime, 'file_size': len(data)}
        return self.push({'message': message})

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {'update_id': next(self._ids) + 10_000, **update}
        self.updates.append(update)
        self._news.set()
        return update

    def texts(self, chat_id: int | str) -> list[str]:
        return [item.text for item in self.sent if item.chat_id == str(chat_id) and item.method == 'sendMessage']

    def _photo(self, data: bytes, width: int, height: int) -> dict[str, Any]:
        file_id = self._add_file(f'photos/file_{next(self._ids)}.jpg', data)
        return {'file_id': file_id, 'file_unique_id': file_id, 'width': width, 'height': height,
                'file_size': len(data)}

    def _add_file(self, path: str, data: bytes) -> str:
        file_id = f'file-{next(self._ids)}'
        self._files[file_id] = (path, data)
        return file_id

    async def _method(self, request: web.Request) -> web.Response:
        method = request.match_info['method']
        self.calls.append(method)
        if self.failing:
            return web.json_response({'ok': False, 'error_code': 502, 'description': 'Bad Gateway'}, status=502)
        if request.match_info['token'] != self.token:
            return _error(401, 'Unauthorized')
        params = await _params(request)
        handler = getattr(self, f'_{method}', None)
        return await handler(params) if handler else _error(404, 'Not Found')

    async def _getUpdates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get('offset') or 0)
        self.offsets.append(offset)
        self.updates = [update for update in self.updates if update['update_id'] >= offset]  # the rest confirmed
        if not self.updates and float(params.get('timeout') or 0) > 0:
            self._news.clear()
            try:
                await asyncio.wait_for(self._news.wait(), float(params['timeout']))
            except TimeoutError:
                pass
        if self.failing or self._runner is None:
            return web.json_response({'ok': False, 'error_code': 502, 'description': 'Bad Gateway'}, status=502)
        return _ok(list(self.updates))

    async def _sendMessage(self, params: dict[str, Any]) -> web.Response:
        return self._deliver(Sent(str(params.get('chat_id')), 'sendMessage', text=str(params.get('text') or '')))

    async def _sendPhoto(self, params: dict[str, Any]) -> web.Response:
        return self._upload(params, 'sendPhoto', 'photo')

    async def _sendDocument(self, params: dict[str, Any]) -> web.Response:
        return self._upload(params, 'sendDocument', 'document')

    async def _getFile(self, params: dict[str, Any]) -> web.Response:
        found = self._files.get(str(params.get('file_id')))
        if found is None:
            return _error(400, 'Bad Request: invalid file_id')
        return _ok({'file_id': params['file_id'], 'file_size': len(found[1]), 'file_path': found[0]})

    async def _setWebhook(self, params: dict[str, Any]) -> web.Response:
        self.webhook = dict(params)
        return _ok(True)

    async def _deleteWebhook(self, _params: dict[str, Any]) -> web.Response:
        self.webhook = None
        return _ok(True)

    async def _file(self, request: web.Request) -> web.Response:
        if self.failing:
            return web.Response(status=502)
        path = request.match_info['path']
        found = next((data for file_path, data in self._files.values() if file_path == path), None)
        if request.match_info['token'] != self.token or found is None:
            return web.Response(status=404)
        return web.Response(body=found)

    def _upload(self, params: dict[str, Any], method: str, name: str) -> web.Response:
        upload = params.get(name)
        if not isinstance(upload, web.FileField):
            return _error(400, f'Bad Request: there is no {name} in the request')
        return self._deliver(Sent(str(params.get('chat_id')), method, text=str(params.get('caption') or ''),
                                  filename=upload.filename, data=upload.file.read(),
                                  content_type=upload.content_type))

    def _deliver(self, sent: Sent) -> web.Response:
        if sent.chat_id in self.blocked:
            return _error(403, 'Forbidden: bot was blocked by the user')
        self.sent.append(sent)
        return _ok({'message_id': next(self._ids), 'chat': {'id': int(sent.chat_id)}, 'date': 1_700_000_000})


async def _params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.content_type == 'application/json':
        params.update(await request.json())
    elif request.can_read_body:
        params.update(await request.post())
    return params


def _ok(result: Any) -> web.Response:
    return web.json_response({'ok': True, 'result': result})


def _error(code: int, description: str) -> web.Response:
    return web.json_response({'ok': False, 'error_code': code, 'description': description}, status=code)
