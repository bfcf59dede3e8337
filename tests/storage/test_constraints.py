"""A broken database constraint reaches the domain as ConstraintConflict, never as SQLAlchemy's IntegrityError."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from domain.desk import Desk
from domain.errors import Conflict, ConstraintConflict
from storage.models import Identity
from tests.factories import make_user, unique


async def test_a_taken_username_is_a_constraint_conflict_from_the_repository(desk: Desk) -> None:
    taken = await make_user(desk)
    async with desk.queues.uow(write=True) as uow:
        with pytest.raises(ConstraintConflict) as refused:
            await uow.users.add(username=taken.username.upper(), password_hash=None, role='customer')
    assert isinstance(refused.value, Conflict)  # the API answers 409 when no service says more


async def test_a_duplicate_external_message_ref_is_a_constraint_conflict(desk: Desk) -> None:
    # On PostgreSQL the message goes straight to asyncpg (storage.direct), on SQLite through SQLAlchemy.
    customer = await make_user(desk)
    ref = unique('chat:1:')
    await desk.support.write(actor_id=customer.id, text='once', channel='telegram', external_ref=ref)
    with pytest.raises(ConstraintConflict):
        await desk.support.write(actor_id=customer.id, text='again', channel='telegram', external_ref=ref)


async def test_no_integrity_error_leaves_a_unit_of_work_even_from_a_plain_statement(desk: Desk) -> None:
    user = await make_user(desk)
    subject = unique('subject')
    with pytest.raises(ConstraintConflict):
        async with desk.queues.uow(write=True) as uow:
            for _ in range(2):  # a statement no repository method wraps: the unit of work translates it
                await uow.connection.execute(insert(Identity.__table__).values(
                    user_id=user.id, provider='test', subject=subject))
            await uow.commit()
