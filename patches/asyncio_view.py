"""`asyncio` as one library module sees it: the same module, with its own `wait_for` (outbox_wait, socket_wait).

Giving a module this view changes how that module waits and nothing else: every other name is asyncio's, and
asyncio itself, for everyone else, is untouched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import ModuleType
from typing import Any


class AsyncioWith(ModuleType):
    def __init__(self, wait_for: Callable[..., Any]) -> None:
        super().__init__('asyncio')
        self.wait_for = wait_for

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)
