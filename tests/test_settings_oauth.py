"""OAuth providers from the environment: Discord with overridable endpoints, and one generic OpenID Connect provider."""

from __future__ import annotations

import pytest

from settings import OAuthProvider, oauth_providers

DISCORD = {'DISCORD_CLIENT_ID': 'id', 'DISCORD_CLIENT_SECRET': 'secret'}


def test_no_client_ids_means_no_providers() -> None:
    assert oauth_providers({}) == ()


def test_discord_uses_the_real_endpoints_by_default() -> None:
    (discord,) = oauth_providers(dict(DISCORD))
    assert discord == OAuthProvider(key='discord', name='Discord', client_id='id', client_secret='secret',
                                    authorize_url='https://discord.com/api/oauth2/authorize',
                                    token_url='https://discord.com/api/oauth2/token',
                                    userinfo_url='https://discord.com/api/users/@me', scope='identify')


def test_discord_api_base_moves_every_endpoint() -> None:
    (discord,) = oauth_providers({**DISCORD, 'DISCORD_API_BASE': 'http://127.0.0.1:9/api/'})
    assert (discord.authorize_url, discord.token_url, discord.userinfo_url) == (
        'http://127.0.0.1:9/api/oauth2/authorize', 'http://127.0.0.1:9/api/oauth2/token',
        'http://127.0.0.1:9/api/users/@me')


def test_an_openid_provider_by_discovery_is_keyed_by_its_name() -> None:
    _discord, oidc = oauth_providers({**DISCORD, 'OIDC_NAME': 'Company SSO', 'OIDC_CLIENT_ID': 'c',
                                      'OIDC_CLIENT_SECRET': 's', 'OIDC_DISCOVERY_URL': 'https://sso/.well-known/x'})
    assert (oidc.key, oidc.name, oidc.discovery_url, oidc.scope) == ('company-sso', 'Company SSO',
                                                                     'https://sso/.well-known/x',
                                                                     'openid profile email')


def test_a_plain_oauth_provider_by_endpoints() -> None:
    (oidc,) = oauth_providers({'OIDC_CLIENT_ID': 'c', 'OIDC_AUTHORIZE_URL': 'https://a', 'OIDC_TOKEN_URL': 'https://t',
                               'OIDC_USERINFO_URL': 'https://u', 'OIDC_SCOPE': 'read:user'})
    assert (oidc.key, oidc.name, oidc.discovery_url, oidc.authorize_url, oidc.token_url, oidc.userinfo_url,
            oidc.scope) == ('openid', 'OpenID', None, 'https://a', 'https://t', 'https://u', 'read:user')


@pytest.mark.parametrize('env, problem', [
    ({'OIDC_CLIENT_ID': 'c'}, 'OIDC_DISCOVERY_URL'),
    ({'OIDC_CLIENT_ID': 'c', 'OIDC_AUTHORIZE_URL': 'https://a'}, 'OIDC_TOKEN_URL'),
    ({**DISCORD, 'OIDC_NAME': 'Discord', 'OIDC_CLIENT_ID': 'c', 'OIDC_DISCOVERY_URL': 'https://d'}, 'taken'),
])
def test_an_incomplete_or_clashing_provider_stops_the_start(env: dict[str, str], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        oauth_providers(env)  # type: ignore[arg-type]
