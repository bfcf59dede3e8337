"""The stream's positions: taken as a transaction commits, in commit order, not as its events are inserted."""

from __future__ import annotations

from sqlalchemy import select

from domain.desk import Desk
from storage.models import Event


async def _position(desk: Desk, event_id: int) -> int | None:
    async with desk.queues.uow() as uow:
        return (await uow.connection.execute(select(Event.position).where(Event.id == event_id))).scalar_one()


async def test_a_transaction_that_inserts_first_and_commits_last_comes_last(desk: Desk) -> None:
    postgresql = desk.database.engine.dialect.name == 'postgresql'
    async with desk.queues.uow(write=True) as early:
        early.events.add('test.early', actor_id=None)
        [early_event] = await early.events.save()
        if postgresql:  # not committed yet: no place in the stream
            pending = await early.connection.execute(select(Event.position).where(Event.id == early_event.id))
            assert pending.scalar_one() is None
        if postgresql:  # another writer commits meanwhile, unhindered by the first's insert
            async with desk.queues.uow(write=True) as late:
                late.events.add('test.late', actor_id=None)
                [late_event] = await late.events.save()
                await late.connection.commit()
        await early.connection.commit()
    if not postgresql:  # one writer at a time: the position is the id
        assert await _position(desk, early_event.id) == early_event.id
        return
    assert early_event.id < late_event.id
    late_position, early_position = await _position(desk, late_event.id), await _position(desk, early_event.id)
    assert late_position is not None and early_position is not None
    assert late_position < early_position  # in commit order
