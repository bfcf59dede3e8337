"""A Slack incoming webhook on 127.0.0.1 for the notification tests: it keeps every post it accepts.

Like Slack it wants a JSON object with a non-empty "text" (400 "invalid_payload" otherwise). A test can make it
answer another status for a while (`answer = 500`: Slack is having trouble; 404: the webhook was removed).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from tests.ports import free_port

HOOK_PATH = '/services/T000/B000/fake-webhook'


@dataclass
class FakeSlack:
    posts: list[dict[str, Any]] = field(default_factory=list)  # the accepted bodies, in order
    attempts: int = 0  # every POST, accepted or not
    answer: int = 200  # what the next posts get
    base_url: str = ''

    @property
    def webhook_url(self) -> str:
        return f'{self.base_url}{HOOK_PATH}'

    @property
    def texts(self) -> list[str]:
        return [post['text'] for post in self.posts]

    def app(self) -> Starlette:
        return Starlette(routes=[Route(HOOK_PATH, self.webhook, methods=['POST'])])

    async def webhook(self, request: Request) -> Response:
        self.attempts += 1
        if self.answer != 200:
            return PlainTextResponse('server_error' if self.answer >= 500 else 'no_service', status_code=self.answer)
        try:
            body = json.loads(await request.body())
        except ValueError:
            return PlainTextResponse('invalid_payload', status_code=400)
        if not isinstance(body, dict) or not isinstance(body.get('text'), str) or not body['text']:
            return PlainTextResponse('invalid_payload', status_code=400)
        self.posts.append(body)
        return PlainTextResponse('ok')


class RunningSlack:
    """The fake webhook served by uvicorn in a thread on a free port of 127.0.0.1."""

    def __init__(self, slack: FakeSlack | None = None) -> None:
        self.slack = slack or FakeSlack()
        port = free_port()
        self.slack.base_url = f'http://127.0.0.1:{port}'
        config = uvicorn.Config(self.slack.app(), host='127.0.0.1', port=port, log_level='warning', lifespan='off')
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name='fake-slack', daemon=True)

    def __enter__(self) -> FakeSlack:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError('the fake Slack webhook did not start')
            time.sleep(0.01)
        return self.slack

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
