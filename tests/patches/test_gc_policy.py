"""The memory policy's parts that run outside a long-lived server."""

from __future__ import annotations

import platform

from patches import gc_policy


def test_freed_memory_is_returned_through_glibc_and_nothing_is_called_elsewhere() -> None:
    trim = gc_policy.malloc_trim()
    if platform.system() == 'Linux' and platform.libc_ver()[0] == 'glibc':
        assert trim is not None
        assert trim(0) in (0, 1)  # 1: some memory went back to the system, 0: there was none to give
    else:
        assert trim is None
