"""What the app takes from a provider's answer: the subject, a handle for the username, a display name."""

from __future__ import annotations

import pytest

from channels.oauth import identity_from_claims, local_path
from domain.accounts.identities import OutsideIdentity


def test_discord_users_are_read_by_id_username_and_global_name() -> None:
    claims = {'id': '80351110224678912', 'username': 'nelly', 'global_name': 'Nelly', 'discriminator': '0'}
    assert identity_from_claims('discord', claims) == OutsideIdentity('discord', '80351110224678912', 'nelly', 'Nelly')


def test_openid_claims_are_read_by_sub_preferred_username_and_name() -> None:
    claims = {'sub': 'abc', 'preferred_username': 'maria', 'name': 'Мария', 'email': 'm@example.org'}
    assert identity_from_claims('sso', claims) == OutsideIdentity('sso', 'abc', 'maria', 'Мария')


def test_without_a_handle_the_email_names_the_account() -> None:
    assert identity_from_claims('sso', {'sub': 7, 'email': 'maria@example.org'}).username == 'maria'


@pytest.mark.parametrize('claims', [{}, {'sub': ''}, {'id': None}, {'sub': True}, {'sub': ['x']}])
def test_an_answer_without_a_usable_subject_is_refused(claims: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        identity_from_claims('sso', claims)


@pytest.mark.parametrize('target, expected', [
    ('/support', '/support'), ('/requests/5?x=1', '/requests/5?x=1'), ('https://evil.example', '/requests'),
    ('//evil.example', '/requests'), ('/\\evil.example', '/requests'), ('', '/requests'),
])
def test_only_paths_of_this_app_are_followed_after_sign_in(target: str, expected: str) -> None:
    assert local_path(target) == expected
