"""Request ids: kept when sane, made otherwise, returned, and on every log line of the request; JSON lines."""

from __future__ import annotations

import io
import json
import logging

import pytest
from nicegui import app
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from edges.http_stats import HttpStats
from edges.logs import REQUEST_ID, JsonFormatter, RequestIdFilter, StderrHandler, configure_logging
from edges.observe import ObserveMiddleware
from tests.edges.conftest import Serve


async def test_a_sane_request_id_is_echoed_and_a_missing_one_made(serve: Serve) -> None:
    async with serve() as served:
        given = await served.http.get('/healthz', headers={'X-Request-ID': 'abc-123.def:4'})
        made = await served.http.get('/healthz')
        insane = await served.http.get('/healthz', headers={'X-Request-ID': 'x' * 200})
    assert given.headers['x-request-id'] == 'abc-123.def:4'
    assert len(made.headers['x-request-id']) == 32
    assert insane.headers['x-request-id'] != 'x' * 200


async def test_every_line_logged_during_a_request_carries_its_id(serve: Serve,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    async with serve() as served:
        caplog.handler.addFilter(RequestIdFilter())  # as on the app's own handler, which caplog's stands beside

        async def noisy(_request: Request) -> PlainTextResponse:
            logging.getLogger('switchboard.test').warning('inside the request')
            return PlainTextResponse('ok')
        app.add_route('/noisy', noisy)
        response = await served.http.get('/noisy', headers={'X-Request-ID': 'req-42'})
    assert response.status_code == 200
    ours = [record for record in caplog.records if getattr(record, 'request_id', None) == 'req-42']
    assert [record.name for record in ours] == ['switchboard.test', 'switchboard.access']
    access = ours[1]
    assert access.getMessage().startswith('GET /noisy 200 ')
    assert (access.method, access.path, access.status) == ('GET', '/noisy', 200)  # type: ignore[attr-defined]
    assert access.duration_ms >= 0  # type: ignore[attr-defined]


async def test_the_query_string_stays_out_of_the_access_log(serve: Serve, caplog: pytest.LogCaptureFixture) -> None:
    async with serve() as served:
        await served.http.get('/healthz?token=secret')
        await served.http.get('/api/v1/anything?token=secret')
    lines = [record.getMessage() for record in caplog.records if record.name == 'switchboard.access']
    assert any(line.startswith('GET /api/v1/anything ') for line in lines)
    assert not any('secret' in line for line in lines)


def test_json_lines_parse_and_carry_the_request_id_and_extras() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger('switchboard.test.json')
    logger.addHandler(handler)
    logger.propagate = False
    token = REQUEST_ID.set('req-7')
    try:
        logger.warning('saved %s', 'it', extra={'status': 201})
        try:
            raise RuntimeError('boom')
        except RuntimeError:
            logger.exception('failed')
    finally:
        REQUEST_ID.reset(token)
        logger.removeHandler(handler)
        logger.propagate = True
    first, second = (json.loads(line) for line in stream.getvalue().splitlines() if line.startswith('{'))
    assert first['message'] == 'saved it' and first['request_id'] == 'req-7' and first['status'] == 201
    assert first['level'] == 'WARNING' and first['logger'] == 'switchboard.test.json' and 'time' in first
    assert second['level'] == 'ERROR' and 'RuntimeError: boom' in second['exception']


def test_configure_logging_replaces_its_handler_and_writes_json(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    level = root.level
    try:
        configure_logging(log_format='text')
        handler = configure_logging(log_format='json', level='INFO')
        assert [h for h in root.handlers if isinstance(h, StderrHandler)] == [handler]
        logging.getLogger('switchboard.test').info('hello')
        line = capsys.readouterr().err.strip().splitlines()[-1]
        assert json.loads(line)['message'] == 'hello'
        assert json.loads(line)['request_id'] == '-'
    finally:
        for h in [h for h in root.handlers if isinstance(h, StderrHandler)]:
            root.removeHandler(h)
        root.setLevel(level)


async def test_websocket_scopes_pass_untouched() -> None:
    seen: list[Scope] = []

    async def app(scope: Scope, _receive: Receive, _send: Send) -> None:
        seen.append(scope)

    stats = HttpStats()
    scope: Scope = {'type': 'websocket', 'path': '/_nicegui_ws/socket.io/', 'headers': []}
    await ObserveMiddleware(app, stats=stats)(scope, None, None)  # type: ignore[arg-type]
    assert seen == [scope] and not stats.requests
