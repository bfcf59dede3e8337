"""Logging set up once at start: every line carries the id of the request it belongs to; text or JSON lines."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
from typing import Any, TextIO

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar('request_id', default='-')
TEXT_FORMAT = '%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s'
# Attributes every LogRecord has; anything else on a record came as `extra=` and belongs in the JSON object.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {'message', 'asctime', 'request_id'}


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request's id ('-' outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, then the record's extras."""

    # One line per request passes through here: the encoder and the current second's text are made once.
    _encode = json.JSONEncoder(default=str, ensure_ascii=False).encode
    _second: tuple[int, str] = (-1, '')

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            'time': f'{self._utc_second(int(record.created))}.{int(record.msecs):03d}Z',
            'level': record.levelname,
            'logger': record.name,
            'message': record.getMessage(),
            'request_id': getattr(record, 'request_id', REQUEST_ID.get()),
        }
        line.update((key, record.__dict__[key]) for key in record.__dict__.keys() - _STANDARD)
        if record.exc_info:
            line['exception'] = self.formatException(record.exc_info)
        if record.stack_info:
            line['stack'] = self.formatStack(record.stack_info)
        return self._encode(line)

    def _utc_second(self, second: int) -> str:
        if self._second[0] != second:
            self._second = (second, time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(second)))
        return self._second[1]


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time, so a replaced stderr (a test's capture) is followed."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure_logging(*, log_format: str = 'text', level: str = 'INFO') -> logging.Handler:
    """Send every logger's records to stderr in `log_format`; calling it again replaces the earlier set-up."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, StderrHandler)]:
        root.removeHandler(handler)
    handler = StderrHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if log_format == 'json' else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    return handler
