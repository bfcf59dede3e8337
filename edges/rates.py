"""A rate limit as written in the settings: "120/minute" means 120 requests per minute."""

from __future__ import annotations

import re
from dataclasses import dataclass

PERIODS = {'second': 1, 'minute': 60, 'hour': 3600, 'day': 86400}
_FORMAT = re.compile(r'\s*(\d+)\s*/\s*(\d+\s*)?(second|minute|hour|day)s?\s*', re.IGNORECASE)


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str, name: str = 'rate limit') -> Rate:
        """Read "<count>/<period>" or "<count>/<n> <period>s" ("10/minute", "1000/5 minutes"); ValueError if not."""
        match = _FORMAT.fullmatch(text)
        if match is None or int(match[1]) < 1 or (match[2] is not None and int(match[2]) < 1):
            raise ValueError(f'{name}={text!r}: expected "<count>/<period>" with a count of at least 1 and a period '
                             f'of second, minute, hour or day, e.g. "120/minute" or "1000/5 minutes"')
        return cls(int(match[1]), int(match[2] or 1) * PERIODS[match[3].lower()])

    def __str__(self) -> str:
        return f'{self.count}/{self.seconds:g}s'
