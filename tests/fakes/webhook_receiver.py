"""A webhook receiver on 127.0.0.1 for the webhook tests, in the test's event loop: it keeps every POST it gets.

`stop()` takes it down (connections are refused) and `start()` brings it back on the same port; `answer` sets
the status it replies with, and `redirect` makes it answer 302 to /elsewhere, which records any visit.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

from aiohttp import web

from tests.ports import free_port


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def delivery(self) -> str:
        return self.headers['X-Switchboard-Delivery']

    @property
    def signature(self) -> str:
        return self.headers['X-Switchboard-Signature']


@dataclass
class Receiver:
    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)  # the POSTs answered with 2xx
    attempts: int = 0  # every POST
    answer: int = 200
    redirect: bool = False
    elsewhere: int = 0  # visits to the redirect's target
    _runner: web.AppRunner | None = None
    _held: socket.socket | None = None

    @property
    def url(self) -> str:
        return f'http://127.0.0.1:{self.port}/hook'

    async def start(self) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None
        app = web.Application()
        app.router.add_post('/hook', self._hook)
        app.router.add_route('*', '/elsewhere', self._elsewhere)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, '127.0.0.1', self.port, reuse_address=True).start()

    async def stop(self, *, hold: bool = True) -> None:
        """Refuse connections; `hold` keeps the port bound (never listening), so no other program on this machine
        takes it meanwhile and answers in the receiver's place."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
        if hold and self._held is None:
            self._held = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self._held.bind(('127.0.0.1', self.port))

    def close(self) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None

    async def _hook(self, request: web.Request) -> web.StreamResponse:
        self.attempts += 1
        body = await request.read()
        if self.redirect:
            raise web.HTTPFound('/elsewhere')
        if 200 <= self.answer < 300:
            self.received.append(Received(request.path, dict(request.headers), body))
        return web.Response(status=self.answer, text='ok' if self.answer < 300 else 'no')

    async def _elsewhere(self, request: web.Request) -> web.Response:
        self.elsewhere += 1
        return web.Response(text='followed')
