"""API tokens on both databases: expiry, rotation, reuse, sign-out, deactivation, and forged tokens."""

from __future__ import annotations

import asyncio
import time

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select, update

from domain.accounts.tokens import ACCESS_MAX_AGE, REFRESH_MAX_AGE, TokenService
from domain.desk import Desk
from domain.errors import InvalidInput, NotSignedIn
from domain.events import SessionsRevoked
from storage.models import Event, RefreshToken, User
from tests.factories import PASSWORD, make_user


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def tokens(desk: Desk, clock: Clock) -> TokenService:
    """The desk's token service on a clock the test moves; shares the desk's cache of users."""
    return TokenService(desk.tokens.uow, desk.accounts, desk.tokens.viewers, secret_key='test secret', clock=clock)


async def test_signing_in_gives_tokens_that_name_the_user(desk: Desk, tokens: TokenService) -> None:
    user = await make_user(desk)
    pair = await tokens.sign_in(username=user.username, password=PASSWORD)
    assert pair.user == user and pair.expires_in == ACCESS_MAX_AGE
    assert await tokens.user(pair.access_token) == user
    assert tokens.peek(pair.access_token) == user.id


async def test_a_wrong_password_gives_no_tokens(desk: Desk, tokens: TokenService) -> None:
    user = await make_user(desk)
    with pytest.raises(InvalidInput):
        await tokens.sign_in(username=user.username, password='not the password')


async def test_an_access_token_lasts_fifteen_minutes(desk: Desk, tokens: TokenService, clock: Clock) -> None:
    user = await make_user(desk)
    pair = await tokens.sign_in(username=user.username, password=PASSWORD)
    clock.now += ACCESS_MAX_AGE - 5
    assert await tokens.user(pair.access_token) == user
    clock.now += 10
    assert tokens.peek(pair.access_token) is None
    with pytest.raises(NotSignedIn):
        await tokens.user(pair.access_token)


async def test_a_refresh_token_lasts_thirty_days(desk: Desk, tokens: TokenService, clock: Clock) -> None:
    user = await make_user(desk)
    first = await tokens.sign_in(username=user.username, password=PASSWORD)
    clock.now += REFRESH_MAX_AGE - 60
    second = await tokens.refresh(first.refresh_token)
    clock.now += REFRESH_MAX_AGE + 1
    with pytest.raises(NotSignedIn):
        await tokens.refresh(second.refresh_token)


async def test_refreshing_rotates_the_refresh_token(desk: Desk, tokens: TokenService) -> None:
    user = await make_user(desk)
    first = await tokens.sign_in(username=user.username, password=PASSWORD)
    second = await tokens.refresh(first.refresh_token)
    third = await tokens.refresh(second.refresh_token)
    assert len({first.refresh_token, second.refresh_token, third.refresh_token}) == 3
    assert await tokens.user(third.access_token) == user
    async with desk.database.connect() as connection:
        families = set(await connection.scalars(select(RefreshToken.family).where(RefreshToken.user_id == user.id)))
    assert len(families) == 1


async def test_reusing_a_used_refresh_token_revokes_the_whole_chain(desk: Desk, tokens: TokenService) -> None:
    user = await make_user(desk)
    first = await tokens.sign_in(username=user.username, password=PASSWORD)
    second = await tokens.refresh(first.refresh_token)
    third = await tokens.refresh(second.refresh_token)
    other_sign_in = await tokens.sign_in(username=user.username, password=PASSWORD)
    with pytest.raises(NotSignedIn):
        await tokens.refresh(first.refresh_token)  # a thief replays an old token...
    with pytest.raises(NotSignedIn):
        await tokens.refresh(third.refresh_token)  # ...and the rightful holder's latest one is dead too
    await tokens.refresh(other_sign_in.refresh_token)  # another sign-in is another chain
    async with desk.database.connect() as connection:
        kinds = list(await connection.scalars(select(Event.kind).where(Event.actor_id == user.id)))
    assert 'api.token_reused' in kinds


async def test_two_refreshes_with_one_token_at_once_let_at_most_one_through(desk: Desk, tokens: TokenService) -> None:
    user = await make_user(desk)
    pair = await tokens.sign_in(username=user.username, password=PASSWORD)
    results = await asyncio.gather(tokens.refresh(pair.refresh_token), tokens.refresh(pair.refresh_token),
                                   return_exceptions=True)
    assert sum(isinstance(result, NotSignedIn) for result in results) >= 1


async def test_signing_out_ends_the_chain_of_the_presented_token_only(desk: Desk, tokens: TokenService) -> None:
    user = await make_user(desk)
    phone = await tokens.sign_in(username=user.username, password=PASSWORD)
    laptop = await tokens.sign_in(username=user.username, password=PASSWORD)
    newer = await tokens.refresh(phone.refresh_token)
    await tokens.sign_out(phone.refresh_token)  # an older token of the chain still names it
    with pytest.raises(NotSignedIn):
        await tokens.refresh(newer.refresh_token)
    await tokens.sign_out(phone.refresh_token)  # twice is harmless
    assert (await tokens.refresh(laptop.refresh_token)).user == user


async def test_deactivating_a_user_ends_their_access_and_refresh_tokens(desk: Desk, tokens: TokenService) -> None:
    admin, user = await make_user(desk, role='admin'), await make_user(desk)
    pair = await tokens.sign_in(username=user.username, password=PASSWORD)
    other = await tokens.sign_in(username=user.username, password=PASSWORD)
    assert await tokens.user(pair.access_token) == user  # now cached
    await desk.users.set_active(actor_id=admin.id, user_id=user.id, active=False)
    with pytest.raises(NotSignedIn):
        await tokens.user(pair.access_token)
    for refresh_token in (pair.refresh_token, other.refresh_token):
        with pytest.raises(NotSignedIn):
            await tokens.refresh(refresh_token)
    async with desk.database.connect() as connection:
        revoked = list(await connection.scalars(select(RefreshToken.revoked_at).where(RefreshToken.user_id == user.id)))
    assert revoked and all(revoked)
    await desk.users.set_active(actor_id=admin.id, user_id=user.id, active=True)
    with pytest.raises(NotSignedIn):  # coming back does not bring old sign-ins back
        await tokens.user(pair.access_token)


async def test_ending_every_session_of_a_user_ends_their_tokens(desk: Desk, tokens: TokenService) -> None:
    user = await make_user(desk)
    pair = await tokens.sign_in(username=user.username, password=PASSWORD)
    assert await tokens.user(pair.access_token) == user
    async with desk.database.connect() as connection:  # what "sign out everywhere" does
        await connection.execute(update(User).where(User.id == user.id)
                              .values(session_version=User.session_version + 1))
        await connection.commit()
    desk.hub.publish(SessionsRevoked(user.id))
    with pytest.raises(NotSignedIn):
        await tokens.user(pair.access_token)
    with pytest.raises(NotSignedIn):
        await tokens.refresh(pair.refresh_token)


async def test_checking_an_access_token_reads_the_user_once_until_something_changes(desk: Desk,
                                                                                      tokens: TokenService) -> None:
    admin, user = await make_user(desk, role='admin'), await make_user(desk)
    pair = await tokens.sign_in(username=user.username, password=PASSWORD)
    reads = 0
    load = tokens._load

    async def counted(user_id: int):
        nonlocal reads
        reads += 1
        return await load(user_id)

    tokens._load = counted  # type: ignore[method-assign]
    for _ in range(5):
        await tokens.user(pair.access_token)
    assert reads == 1
    await desk.users.set_role(actor_id=admin.id, user_id=user.id, role='agent')
    assert (await tokens.user(pair.access_token)).role == 'agent'
    assert reads == 2


async def test_tampered_and_foreign_tokens_are_refused(desk: Desk, tokens: TokenService) -> None:
    user = await make_user(desk)
    pair = await tokens.sign_in(username=user.username, password=PASSWORD)
    foreign = URLSafeTimedSerializer('another secret', salt='switchboard.api.access').dumps([user.id, 1])
    odd_claims = URLSafeTimedSerializer('test secret', salt='switchboard.api.access').dumps({'id': user.id})
    for bad in (pair.access_token[:-2] + 'xx', foreign, odd_claims, pair.refresh_token, '', 'not.a.token', 'é' * 50):
        assert tokens.peek(bad) is None
        with pytest.raises(NotSignedIn):
            await tokens.user(bad)
    for bad in (pair.refresh_token[:-2] + 'xx', pair.access_token, 'garbage'):
        with pytest.raises(NotSignedIn):
            await tokens.refresh(bad)
        with pytest.raises(NotSignedIn):
            await tokens.sign_out(bad)
    with pytest.raises(NotSignedIn):
        await tokens.user(None)
    assert (await tokens.refresh(pair.refresh_token)).user == user  # the genuine one still works
