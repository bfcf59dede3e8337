"""A websocket whose browser left is freed by reference counting once its handler ends (patches.socket_close)."""

from __future__ import annotations

from patches import socket_close, socket_wait


async def test_a_closed_websocket_leaves_nothing_for_the_collector() -> None:
    socket_wait.install()  # as the server runs: socket_close goes on top of the waits socket_wait gives
    assert await socket_close.closed_socket_left() == (1, [])


async def test_engine_io_alone_leaves_the_socket_in_a_cycle_until_a_full_collection() -> None:
    # What the patch is for: if engine.io stops doing this, the patch can go.
    assert await socket_close.closed_socket_left(patched=False) == (1, ['AsyncSocket', 'CountingWebSocket'])
