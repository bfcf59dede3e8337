"""Shared reads: concurrent identical reads run once; a change makes the next read run again."""

from __future__ import annotations

import asyncio

import pytest

from domain.coalesce import Coalescer
from domain.desk import Desk
from domain.requests import RequestQuery
from tests.factories import make_request, make_user


async def test_concurrent_identical_reads_run_once_and_a_change_runs_them_again() -> None:
    calls: list[int] = []

    async def load() -> int:
        calls.append(1)
        await asyncio.sleep(0.01)
        return len(calls)

    shared: Coalescer[int] = Coalescer()
    assert await asyncio.gather(*(shared.get('k', load) for _ in range(50))) == [1] * 50
    assert await shared.get('k', load) == 1
    shared.forget()
    assert await shared.get('k', load) == 2


async def test_a_failed_read_is_not_kept() -> None:
    attempts: list[int] = []

    async def load() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError('database away')
        return 7

    shared: Coalescer[int] = Coalescer()
    with pytest.raises(RuntimeError):
        await shared.get('k', load)
    assert await shared.get('k', load) == 7


async def test_the_board_list_is_shared_until_a_request_changes(desk: Desk) -> None:
    author = await make_user(desk)
    first = await desk.requests.list(viewer_id=None, query=RequestQuery())
    again = await desk.requests.list(viewer_id=author.id, query=RequestQuery())
    assert again is first  # the same answer for every viewer of the public board
    request_id = await make_request(desk, author)
    after = await desk.requests.list(viewer_id=None, query=RequestQuery())
    assert [row.id for row in after.rows] == [request_id]
    mine = await desk.requests.list(viewer_id=author.id, query=RequestQuery(mine=True))
    assert mine is not await desk.requests.list(viewer_id=None, query=RequestQuery())
