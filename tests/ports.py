"""Free ports on 127.0.0.1 for servers the tests start, never the same one in two pytest-xdist workers at once.

Asking the kernel for port 0 and closing the socket before the server binds leaves a window in which another
worker's ask can get the same number. Instead each worker walks its own block of ports below the kernel's
ephemeral range (32768 and up), so no worker and no outgoing connection is handed a port of another worker.
A port is only handed out if nothing listens on it right now (another program on the machine).
"""

from __future__ import annotations

import itertools
import os
import socket

FIRST = 20000  # the blocks end at 32000 for up to 12 workers, below Linux's ephemeral range
BLOCK = 1000
HOST = '127.0.0.1'


def _worker_index() -> int:
    worker = os.environ.get('PYTEST_XDIST_WORKER', 'gw0')  # 'gw0', 'gw1', ...; absent without xdist
    digits = worker.removeprefix('gw')
    return int(digits) % 12 if digits.isdigit() else 0


_start = FIRST + _worker_index() * BLOCK
_next = itertools.cycle(range(_start, _start + BLOCK))  # in turn: a port just closed is not handed out again soon


def free_port(host: str = HOST) -> int:
    for _ in range(BLOCK):
        port = next(_next)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
        return port
    raise RuntimeError(f'no free port in {_start}..{_start + BLOCK - 1}')
