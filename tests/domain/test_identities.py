"""Identities on both databases: sign-in through an outside provider creates, finds and links accounts."""

from __future__ import annotations

import asyncio

import pytest

from domain.accounts.identities import OutsideIdentity, username_base
from domain.desk import Desk
from domain.errors import Conflict, InvalidInput, NotSignedIn, PermissionDenied
from tests.factories import make_user, unique


def outside(provider: str = 'discord', *, username: str = '', name: str = '') -> OutsideIdentity:
    return OutsideIdentity(provider=provider, subject=unique('sub'), username=username or unique('nelly'),
                           display_name=name)


async def test_the_first_sign_in_creates_a_customer_without_a_password(desk: Desk) -> None:
    identity = outside(name='Nelly Furtado')
    user, token = await desk.identities.sign_in(identity)
    assert (user.username, user.display_name, user.role) == (identity.username, 'Nelly Furtado', 'customer')
    assert await desk.accounts.session_user(token) == user
    assert [(row.provider, row.subject) for row in await desk.identities.linked(user.id)] == \
        [('discord', identity.subject)]
    with pytest.raises(InvalidInput):  # no password was set, so no password opens the account
        await desk.accounts.sign_in(username=user.username, password='')


async def test_a_later_sign_in_finds_the_same_account_even_after_a_rename_at_the_provider(desk: Desk) -> None:
    identity = outside()
    first, _ = await desk.identities.sign_in(identity)
    again, token = await desk.identities.sign_in(OutsideIdentity('discord', identity.subject, 'renamed', 'New name'))
    assert again.id == first.id and again.username == first.username
    assert (await desk.accounts.session_user(token)).id == first.id  # type: ignore[union-attr]


async def test_the_same_subject_at_two_providers_is_two_people(desk: Desk) -> None:
    discord = outside('discord')
    other = OutsideIdentity('keycloak', discord.subject, discord.username)
    first, _ = await desk.identities.sign_in(discord)
    second, _ = await desk.identities.sign_in(other)
    assert first.id != second.id
    assert second.username == f'{discord.username}_2'  # the name was taken: made unique


async def test_a_taken_username_gets_a_suffix_ignoring_case(desk: Desk) -> None:
    existing = await make_user(desk)
    user, _ = await desk.identities.sign_in(outside(username=existing.username.upper()))
    assert user.username == f'{existing.username.upper()}_2'


@pytest.mark.parametrize('wanted, expected', [
    ('Nelly Furtado', 'Nelly_Furtado'),
    ('  ..nelly..  ', 'nelly'),
    ('Мария', 'Мария'),
    ('a', 'discord_a'),
    ('', 'discord'),
    ('<script>alert(1)</script>', 'script_alert_1_script'),
    ('x' * 40, 'x' * 32),
])
def test_usernames_are_cut_to_what_a_username_may_hold(wanted: str, expected: str) -> None:
    assert username_base(wanted, 'discord') == expected


async def test_without_any_name_the_display_name_falls_back_to_the_username(desk: Desk) -> None:
    user, _ = await desk.identities.sign_in(OutsideIdentity('discord', unique('sub')))
    assert user.username.startswith('discord') and user.display_name == user.username


async def test_a_deactivated_user_cannot_sign_in_through_a_provider(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    identity = outside()
    user, token = await desk.identities.sign_in(identity)
    await desk.users.set_active(actor_id=admin.id, user_id=user.id, active=False)
    with pytest.raises(PermissionDenied) as refused:
        await desk.identities.sign_in(identity)
    assert 'deactivated' in refused.value.message
    assert await desk.accounts.session_user(token) is None


async def test_an_empty_subject_is_refused(desk: Desk) -> None:
    with pytest.raises(InvalidInput):
        await desk.identities.sign_in(OutsideIdentity('discord', '', 'nelly'))


async def test_two_first_sign_ins_at_once_make_one_account(desk: Desk) -> None:
    identity = outside()
    (first, _), (second, _) = await asyncio.gather(desk.identities.sign_in(identity),
                                                   desk.identities.sign_in(identity))
    assert first.id == second.id


async def test_a_signed_in_user_links_a_provider_and_then_signs_in_with_it(desk: Desk) -> None:
    user = await make_user(desk)
    identity = outside()
    await desk.identities.link(user_id=user.id, identity=identity, provider_name='Discord')
    await desk.identities.link(user_id=user.id, identity=identity, provider_name='Discord')  # again: nothing changes
    signed_in, _ = await desk.identities.sign_in(identity)
    assert signed_in.id == user.id
    assert [row.provider for row in await desk.identities.linked(user.id)] == ['discord']


async def test_linking_a_subject_of_another_account_is_refused(desk: Desk) -> None:
    identity = outside()
    owner, _ = await desk.identities.sign_in(identity)
    someone = await make_user(desk)
    with pytest.raises(Conflict) as refused:
        await desk.identities.link(user_id=someone.id, identity=identity, provider_name='Discord')
    assert refused.value.message == 'This Discord account is already linked to another user.'
    assert await desk.identities.linked(someone.id) == []
    assert (await desk.identities.sign_in(identity))[0].id == owner.id


async def test_a_second_account_at_the_same_provider_is_refused(desk: Desk) -> None:
    user = await make_user(desk)
    await desk.identities.link(user_id=user.id, identity=outside(), provider_name='Discord')
    with pytest.raises(Conflict) as refused:
        await desk.identities.link(user_id=user.id, identity=outside(), provider_name='Discord')
    assert refused.value.message == 'Your account is already linked to another Discord account.'


@pytest.mark.parametrize('who', ['nobody', 'unknown', 'deactivated'])
async def test_linking_needs_an_active_signed_in_user(desk: Desk, who: str) -> None:
    user_id: int | None = None
    if who == 'unknown':
        user_id = 10**9
    elif who == 'deactivated':
        admin = await make_user(desk, role='admin')
        user = await make_user(desk)
        await desk.users.set_active(actor_id=admin.id, user_id=user.id, active=False)
        user_id = user.id
    with pytest.raises(NotSignedIn):
        await desk.identities.link(user_id=user_id, identity=outside(), provider_name='Discord')
