"""Accounts on both databases: registration, sign-in, session tokens, preferences."""

from __future__ import annotations

import pytest
from itsdangerous import URLSafeTimedSerializer

from domain.accounts.service import WRONG_CREDENTIALS
from domain.desk import Desk
from domain.errors import Conflict, InvalidInput, TooManyAttempts
from tests.factories import PASSWORD, make_user, unique


async def test_a_registered_user_signs_in_and_the_token_names_them(desk: Desk) -> None:
    user = await make_user(desk)
    signed_in, token = await desk.accounts.sign_in(username=user.username.upper(), password=PASSWORD)
    assert signed_in.id == user.id
    assert (await desk.accounts.session_user(token)) == user


async def test_a_taken_username_is_reported_on_the_username_field_ignoring_case(desk: Desk) -> None:
    user = await make_user(desk)
    with pytest.raises(Conflict) as taken:
        await desk.accounts.register(username=user.username.upper(), password=PASSWORD, repeat=PASSWORD)
    assert taken.value.field == 'username'


@pytest.mark.parametrize('username, password, repeat, field', [
    ('', PASSWORD, PASSWORD, 'username'),
    ('ab', PASSWORD, PASSWORD, 'username'),
    ('has space', PASSWORD, PASSWORD, 'username'),
    ('<script>', PASSWORD, PASSWORD, 'username'),
    ('okname', 'short', 'short', 'password'),
    ('okname', 'я' * 40, 'я' * 40, 'password'),
    ('okname', PASSWORD, PASSWORD + 'x', 'repeat'),
])
async def test_bad_registrations_name_the_field(desk: Desk, username: str, password: str, repeat: str,
                                                field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        await desk.accounts.register(username=username, password=password, repeat=repeat)
    assert refused.value.field == field


async def test_a_cyrillic_username_is_fine(desk: Desk) -> None:
    user = await desk.accounts.register(username='Мария_' + unique()[:4], password=PASSWORD, repeat=PASSWORD)
    assert user.username.startswith('Мария_')


async def test_wrong_password_and_unknown_user_get_the_same_message(desk: Desk) -> None:
    user = await make_user(desk)
    with pytest.raises(InvalidInput) as wrong_password:
        await desk.accounts.sign_in(username=user.username, password='not it at all')
    with pytest.raises(InvalidInput) as unknown_user:
        await desk.accounts.sign_in(username=unique(), password=PASSWORD)
    assert wrong_password.value.message == unknown_user.value.message == WRONG_CREDENTIALS


async def test_repeated_failures_are_slowed_down_even_with_the_right_password(desk: Desk) -> None:
    user = await make_user(desk)
    for _ in range(3):
        with pytest.raises(InvalidInput):
            await desk.accounts.sign_in(username=user.username, password='wrong password')
    with pytest.raises(TooManyAttempts) as slowed:
        await desk.accounts.sign_in(username=user.username, password=PASSWORD)
    assert slowed.value.retry_after > 0


async def test_a_tampered_or_foreign_token_is_no_session(desk: Desk) -> None:
    user = await make_user(desk)
    _user, token = await desk.accounts.sign_in(username=user.username, password=PASSWORD)
    assert await desk.accounts.session_user(token[:-2] + 'xx') is None
    assert await desk.accounts.session_user(None) is None
    forged = URLSafeTimedSerializer('another secret', salt='switchboard.session').dumps([user.id, 1])
    assert await desk.accounts.session_user(forged) is None


async def test_a_token_of_an_older_session_version_is_revoked(desk: Desk) -> None:
    user = await make_user(desk)
    stale = URLSafeTimedSerializer('test secret', salt='switchboard.session').dumps([user.id, 0])
    assert await desk.accounts.session_user(stale) is None


async def test_language_and_theme_are_remembered(desk: Desk) -> None:
    user = await make_user(desk)
    await desk.accounts.set_preferences(user.id, locale='ru', theme='dark')
    remembered = await desk.accounts.get(user.id)
    assert remembered is not None and (remembered.locale, remembered.theme) == ('ru', 'dark')
    with pytest.raises(InvalidInput):
        await desk.accounts.set_preferences(user.id, locale='xx')


async def test_a_time_zone_is_kept_cleared_and_an_unknown_one_refused(desk: Desk) -> None:
    user = await make_user(desk)
    await desk.accounts.set_preferences(user.id, time_zone='Europe/Moscow')
    assert (await desk.accounts.get(user.id)).time_zone == 'Europe/Moscow'
    with pytest.raises(InvalidInput) as refused:
        await desk.accounts.set_preferences(user.id, time_zone='Mars/Olympus')
    assert refused.value.field == 'time_zone'
    await desk.accounts.set_preferences(user.id, time_zone='')  # back to the browser's zone
    assert (await desk.accounts.get(user.id)).time_zone is None
