"""Sign-in with OAuth 2.0 / OpenID Connect providers through Authlib: the routes that start and finish a flow.

POST /auth/<provider>/login     from /login: go to the provider to sign in
POST /auth/<provider>/link      from /profile: go to the provider to link it to the signed-in account
GET  /auth/<provider>/callback  the provider sends the browser back: signed in, linked, or back with a notice

Authlib keeps each flow's state, PKCE verifier and nonce in the browser's signed session cookie (the
SessionMiddleware NiceGUI adds for `storage_secret`), so a callback only counts in the browser that started it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from authlib.integrations.starlette_client import OAuth, OAuthError, StarletteOAuth2App
from fastapi import FastAPI, HTTPException, Request
from starlette.responses import RedirectResponse

from domain.accounts.identities import OutsideIdentity
from domain.accounts.redirects import local_path
from domain.desk import Desk
from domain.errors import DomainError, NotSignedIn
from settings import OAuthProvider

log = logging.getLogger(__name__)
TIMEOUT = 10.0  # seconds per call to a provider: one that hangs must not hold the browser for long

# What the next page tells the browser; the UI translates these like every other text.
DENIED = 'Signing in with {provider} was cancelled.'
FAILED = 'Signing in with {provider} did not work. Try again later.'
LINKED = 'Your {provider} account is linked.'
SIGN_IN_FIRST = 'Sign in first, then link your {provider} account on your profile.'
MESSAGES = (DENIED, FAILED, LINKED, SIGN_IN_FIRST)


@dataclass(frozen=True)
class BrowserStore:
    """The browser's server-side session the UI reads: its sign-in token, and a notice for the next page."""

    storage: Callable[[], MutableMapping[str, Any]]
    session_key: str
    notice_key: str

    def token(self) -> str | None:
        return self.storage().get(self.session_key)

    def sign_in(self, token: str) -> None:
        self.storage()[self.session_key] = token

    def tell(self, template: str, *, ok: bool = False, **params: object) -> None:
        self.storage()[self.notice_key] = {'text': template, 'params': params, 'ok': ok}


def register(app: FastAPI, desk: Desk, providers: tuple[OAuthProvider, ...], *, browser: BrowserStore,
             public_url: str | None = None) -> None:
    """Add the sign-in routes for the configured providers (none: the routes answer 404)."""
    oauth = OAuth()
    configured = {provider.key: provider for provider in providers}
    for provider in providers:
        endpoints = {'userinfo_endpoint': provider.userinfo_url} if provider.userinfo_url else {}
        oauth.register(provider.key, client_id=provider.client_id, client_secret=provider.client_secret,
                       server_metadata_url=provider.discovery_url, authorize_url=provider.authorize_url,
                       access_token_url=provider.token_url, **endpoints,
                       client_kwargs={'scope': provider.scope, 'code_challenge_method': 'S256', 'timeout': TIMEOUT})

    def find(key: str) -> tuple[OAuthProvider, StarletteOAuth2App]:
        if key not in configured:
            raise HTTPException(status_code=404, detail='No such sign-in provider.')
        return configured[key], oauth.create_client(key)

    def failed(provider: OAuthProvider, back: str, step: str, error: Exception) -> RedirectResponse:
        # The provider's trouble, not ours: a warning for the operator, a plain notice for the person.
        log.warning('sign-in with %s failed while %s: %s: %s', provider.key, step, type(error).__name__, error)
        browser.tell(FAILED, provider=provider.name)
        return _to(back)

    async def start(request: Request, key: str, *, then: str, link: bool) -> RedirectResponse:
        provider, client = find(key)
        back = '/profile' if link else _login(then)
        redirect_uri = f'{public_url}/auth/{key}/callback' if public_url else \
            str(request.url_for('oauth_callback', provider=key))
        try:
            flow = await client.create_authorization_url(redirect_uri)
        except Exception as error:  # the discovery document is unreachable or malformed
            return failed(provider, back, 'starting', error)
        url = flow.pop('url')  # not kept: the cookie carries only what the callback checks
        await client.save_authorize_data(request, redirect_uri=redirect_uri, then=then, link=link, **flow)
        return _to(url)

    @app.post('/auth/{provider}/login', include_in_schema=False)
    async def start_sign_in(provider: str, request: Request, redirect_to: str = '/requests') -> RedirectResponse:
        return await start(request, provider, then=local_path(redirect_to), link=False)

    @app.post('/auth/{provider}/link', include_in_schema=False)
    async def start_link(provider: str, request: Request) -> RedirectResponse:
        found, _client = find(provider)
        if await desk.accounts.session_user(browser.token()) is None:
            browser.tell(SIGN_IN_FIRST, provider=found.name)
            return _to(_login('/profile'))
        return await start(request, provider, then='/profile', link=True)

    @app.get('/auth/{provider}/callback', name='oauth_callback', include_in_schema=False)
    async def finish(provider: str, request: Request) -> RedirectResponse:
        found, client = find(provider)
        state = request.query_params.get('state') or ''
        flow: Mapping[str, Any] = await client.framework.get_state_data(request.session, state) or {}
        then = local_path(str(flow.get('then', '/requests')))
        back = '/profile' if flow.get('link') else _login(then)
        try:
            token = await client.authorize_access_token(request)
            identity = await outside_identity(found, client, token)
        except OAuthError as error:  # refused at the provider, a state that does not match, or a token error
            await client.framework.clear_state_data(request.session, state)
            if error.error == 'access_denied':
                browser.tell(DENIED, provider=found.name)
                return _to(back)
            return failed(found, back, 'finishing', error)
        except Exception as error:  # the provider is down, or answered what we cannot read
            return failed(found, back, 'finishing', error)
        if flow.get('link'):
            return await link(found, identity)
        try:
            _user, session = await desk.identities.sign_in(identity)
        except DomainError as error:
            browser.tell(error.template, **error.params)
            return _to(back)
        browser.sign_in(session)
        return _to(then)

    async def link(provider: OAuthProvider, identity: OutsideIdentity) -> RedirectResponse:
        user = await desk.accounts.session_user(browser.token())  # still signed in after the trip to the provider?
        try:
            await desk.identities.link(user_id=user.id if user else None, identity=identity,
                                       provider_name=provider.name)
        except NotSignedIn:
            browser.tell(SIGN_IN_FIRST, provider=provider.name)
            return _to(_login('/profile'))
        except DomainError as error:
            browser.tell(error.template, **error.params)
            return _to('/profile')
        browser.tell(LINKED, ok=True, provider=provider.name)
        return _to('/profile')


async def outside_identity(provider: OAuthProvider, client: StarletteOAuth2App,
                           token: Mapping[str, Any]) -> OutsideIdentity:
    """Who signed in: a verified ID token's claims (OpenID Connect) and what the userinfo endpoint adds."""
    claims: dict[str, Any] = dict(token.get('userinfo') or {})
    metadata = await client.load_server_metadata()
    if metadata.get('userinfo_endpoint'):
        response = await client.get(metadata['userinfo_endpoint'], token=dict(token))
        response.raise_for_status()
        info = response.json()
        if not isinstance(info, dict):
            raise ValueError('the userinfo endpoint did not answer with an object')
        if claims and str(info.get('sub', claims.get('sub'))) != str(claims.get('sub')):
            raise ValueError('the userinfo endpoint answered for another subject')
        claims.update(info)
    return identity_from_claims(provider.key, claims)


def identity_from_claims(key: str, claims: Mapping[str, Any]) -> OutsideIdentity:
    """OpenID Connect claims (sub, preferred_username, name) or Discord's user (id, username, global_name)."""
    subject = _text(claims, 'sub', 'id')
    if not subject:
        raise ValueError('the provider named no user id')
    email = _text(claims, 'email')
    return OutsideIdentity(provider=key, subject=subject,
                           username=_text(claims, 'preferred_username', 'username', 'login', 'nickname')
                           or email.partition('@')[0],
                           display_name=_text(claims, 'global_name', 'name', 'preferred_username', 'username'))


def _text(claims: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = claims.get(name)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ''


def _login(then: str) -> str:
    return f'/login?redirect_to={quote(then)}'


def _to(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)  # after a POST the browser follows with a GET
