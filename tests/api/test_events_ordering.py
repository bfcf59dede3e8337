"""A stream's positions in commit order: a writer that inserted its event first and commits after another would be
skipped by a stream that had moved past the other's place, were places taken at insert. They are taken as each
transaction commits (storage/events.py, migration 0018), so the writer committing late comes after in the stream; on
SQLite, its one writer at a time commits in insert order."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any

from domain.desk import Desk
from storage.jobs import JobRepository, NewJob
from tests.api.events_client import eventually
from tests.factories import PASSWORD, make_request, make_user


async def test_a_writer_committing_a_lower_id_late_is_not_skipped(desk: Desk, monkeypatch) -> None:
    author, responder, staff = await make_user(desk), await make_user(desk), await make_user(desk, role='admin')
    request_id = await make_request(desk, author)
    inserted, release = asyncio.Event(), asyncio.Event()
    add_many = JobRepository.add_many

    async def pause_the_first(jobs: JobRepository, new: Sequence[NewJob]) -> None:
        # A follower's job is queued after the events' insert and before COMMIT (UnitOfWork.commit): the first
        # message's event row has its id, its transaction is not committed yet.
        if not inserted.is_set() and any(job.kind == 'test.paused' for job in new):
            inserted.set()
            await release.wait()
        await add_many(jobs, new)

    monkeypatch.setattr(JobRepository, 'add_many', pause_the_first)
    desk.follow('message.posted', 'test.paused', lambda _payload: None)
    token = (await desk.tokens.sign_in(username=staff.username, password=PASSWORD)).access_token
    received: list[dict[str, Any]] = []
    async with desk.stream.open(access_token=token) as subscription:
        async def read() -> None:
            while True:
                received.extend(json.loads(event.json) for event in await subscription.next())
        reading = asyncio.create_task(read())
        first = asyncio.create_task(desk.conversations.post(actor_id=responder.id, request_id=request_id,
                                                            text='committed late'))
        await inserted.wait()
        second = asyncio.create_task(make_request(desk, author))
        await asyncio.wait([second], timeout=1.0)
        if second.done():  # PostgreSQL: the second committed while the first's event waits, uncommitted
            await eventually(lambda: [event['kind'] for event in received] == ['ticket.created'])
        release.set()
        await first
        second_id = await second
        await eventually(lambda: len(received) >= 2, within=3)
        reading.cancel()
    assert sorted((event['kind'], event['ticket_id']) for event in received) == [('message.posted', request_id),
                                                                                 ('ticket.created', second_id)]
    assert len(received) == 2 and received[0]['id'] < received[1]['id']  # each once, in the stream's order
