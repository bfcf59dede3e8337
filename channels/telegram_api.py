"""A small client of the Telegram Bot API over HTTP: the few methods the desk needs, errors sorted for retries.

Telegram answers `{"ok": true, "result": ...}` or `{"ok": false, "error_code": ..., "description": ...}`.
A refusal (4xx other than 429: a blocked bot, a chat that does not exist, a bad token) never succeeds on a
retry; flood control (429), server trouble (5xx) and network errors do, later.
"""

from __future__ import annotations

from typing import Any, NoReturn

import httpx2

from domain.jobs.worker import PermanentError

OFFICIAL_API = 'https://api.telegram.org'


class TelegramUnavailable(Exception):
    """Telegram (or the way to it) is down or asks us to slow down: try again later."""


class TelegramRefused(PermanentError):
    """Telegram refused the call for good (4xx other than 429)."""


class BotApi:
    def __init__(self, token: str, base_url: str = OFFICIAL_API, *, timeout: float = 20.0) -> None:
        self.token = token
        self.base_url = base_url.rstrip('/')
        self.timeout = timeout
        self.http = httpx2.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def get_updates(self, *, offset: int, hold: int) -> list[dict[str, Any]]:
        """Updates from `offset` on; Telegram holds the call up to `hold` seconds until one arrives."""
        return await self.call('getUpdates', {'offset': offset, 'timeout': hold, 'allowed_updates': ['message']},
                               wait=hold + self.timeout)

    async def send_message(self, chat_id: str, text: str) -> None:
        await self.call('sendMessage', {'chat_id': chat_id, 'text': text})

    async def send_file(self, chat_id: str, *, photo: bool, filename: str, data: bytes, content_type: str) -> None:
        """A photo (shown inline) or a document, uploaded as multipart form data."""
        field = 'photo' if photo else 'document'
        await self.call('sendPhoto' if photo else 'sendDocument', form={'chat_id': chat_id},
                        files={field: (filename, data, content_type)})

    async def download(self, file_id: str) -> tuple[str, bytes]:
        """A file a user sent: its path at Telegram (which ends in a usable extension) and its contents."""
        found = await self.call('getFile', {'file_id': file_id})
        path = str(found.get('file_path') or '')
        if not path:
            raise TelegramRefused('getFile: no file_path (the file is too big for bots to download)')
        response = await self._send('GET', f'{self.base_url}/file/bot{self.token}/{path}', 'download')
        if response.status_code != 200:
            self._raise('download', response.status_code, response.reason_phrase)
        return path, response.content

    async def set_webhook(self, url: str, secret_token: str) -> None:
        await self.call('setWebhook', {'url': url, 'secret_token': secret_token, 'allowed_updates': ['message']})

    async def delete_webhook(self) -> None:
        """Polling only works without a webhook; updates waiting at Telegram are kept."""
        await self.call('deleteWebhook', {'drop_pending_updates': False})

    async def call(self, method: str, payload: dict[str, Any] | None = None, *, form: dict[str, str] | None = None,
                   files: dict[str, tuple[str, bytes, str]] | None = None, wait: float | None = None) -> Any:
        """One Bot API method; returns its `result`."""
        url = f'{self.base_url}/bot{self.token}/{method}'
        if files is not None:
            response = await self._send('POST', url, method, data=form, files=files, timeout=wait)
        else:
            response = await self._send('POST', url, method, json=payload or {}, timeout=wait)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code == 200 and isinstance(body, dict) and body.get('ok'):
            return body.get('result')
        description = body.get('description') if isinstance(body, dict) else None
        self._raise(method, response.status_code, str(description or response.reason_phrase))

    async def _send(self, verb: str, url: str, what: str, **options: Any) -> httpx2.Response:
        if options.get('timeout') is None:
            options.pop('timeout', None)
        try:
            return await self.http.request(verb, url, **options)
        except httpx2.HTTPError as error:
            # The URL holds the bot's token: say what failed without it (this text lands in job errors and logs).
            raise TelegramUnavailable(f'{what}: {type(error).__name__}: {self._hidden(str(error))}') from None

    def _raise(self, what: str, status: int, description: str) -> NoReturn:
        message = f'{what}: HTTP {status}: {self._hidden(description)}'
        if status == 429 or status >= 500 or status < 400:
            raise TelegramUnavailable(message)
        raise TelegramRefused(message)

    def _hidden(self, text: str) -> str:
        return text.replace(self.token, '<token>') if self.token else text
