"""A small OAuth 2.0 / OpenID Connect provider on 127.0.0.1 for the tests, in Discord's and in OIDC's shapes.

Under /api it answers like Discord (authorize, token, /users/@me); at the root it is an OpenID Connect provider with a
discovery document, RS256-signed ID tokens and a userinfo endpoint. It checks what a real one checks: the client's
id and secret, the redirect URI, a code used once, and the PKCE verifier against the challenge. Tests choose who is
"signed in at the provider" and what goes wrong next (a refusal, a failing token or userinfo endpoint).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import uvicorn
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.ports import free_port

CLIENT_ID = 'switchboard-test-client'
CLIENT_SECRET = 'switchboard-test-secret'


@dataclass
class Person:
    """Someone with an account at the provider."""

    subject: str
    username: str
    name: str = ''
    email: str = ''


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    challenge: str | None
    nonce: str | None
    scope: str
    person: Person


@dataclass
class FakeProvider:
    person: Person = field(default_factory=lambda: Person('80351110224678912', 'nelly', 'Nelly Furtado'))
    deny_next: bool = False  # the person clicks "Cancel" on the consent screen
    fail_token: bool = False  # the token endpoint answers 500
    fail_userinfo: bool = False  # the userinfo endpoint answers 500
    base_url: str = ''
    grants: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, Person] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)  # what the app sent, for PKCE assertions
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={'kid': 'fake-1'}, private=True))

    @property
    def discord_api(self) -> str:
        return f'{self.base_url}/api'

    @property
    def discovery_url(self) -> str:
        return f'{self.base_url}/.well-known/openid-configuration'

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route('/api/oauth2/authorize', self.authorize),
            Route('/api/oauth2/token', self.token, methods=['POST']),
            Route('/api/users/@me', self.discord_me),
            Route('/.well-known/openid-configuration', self.discovery),
            Route('/oidc/authorize', self.authorize),
            Route('/oidc/token', self.token, methods=['POST']),
            Route('/oidc/userinfo', self.oidc_userinfo),
            Route('/oidc/jwks', self.jwks),
        ])

    async def authorize(self, request: Request) -> Response:
        query = request.query_params
        redirect_uri, state = query.get('redirect_uri', ''), query.get('state', '')
        if query.get('client_id') != CLIENT_ID or not redirect_uri or query.get('response_type') != 'code':
            return JSONResponse({'error': 'invalid_request'}, status_code=400)
        if query.get('code_challenge') and query.get('code_challenge_method') != 'S256':
            return JSONResponse({'error': 'invalid_request'}, status_code=400)
        if self.deny_next:
            self.deny_next = False
            return _back(redirect_uri, error='access_denied', error_description='The user said no', state=state)
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(CLIENT_ID, redirect_uri, query.get('code_challenge'), query.get('nonce'),
                                  query.get('scope', ''), self.person)
        return _back(redirect_uri, code=code, state=state)

    async def token(self, request: Request) -> Response:
        form = {key: str(value) for key, value in (await request.form()).items()}
        self.token_requests.append(form)
        client_id, secret = _client(request, form)
        if self.fail_token:
            return JSONResponse({'error': 'server_error'}, status_code=500)
        grant = self.grants.pop(form.get('code', ''), None)
        if client_id != CLIENT_ID or secret != CLIENT_SECRET:
            return JSONResponse({'error': 'invalid_client'}, status_code=401)
        if grant is None or grant.redirect_uri != form.get('redirect_uri') or form.get('grant_type') != \
                'authorization_code':
            return JSONResponse({'error': 'invalid_grant'}, status_code=400)
        if grant.challenge is not None and _s256(form.get('code_verifier', '')) != grant.challenge:
            return JSONResponse({'error': 'invalid_grant', 'error_description': 'PKCE check failed'}, status_code=400)
        access = secrets.token_urlsafe(16)
        self.tokens[access] = grant.person
        answer: dict[str, Any] = {'access_token': access, 'token_type': 'Bearer', 'expires_in': 3600,
                                  'scope': grant.scope}
        if 'openid' in grant.scope.split():
            answer['id_token'] = self._id_token(grant, access)
        return JSONResponse(answer)

    async def discord_me(self, request: Request) -> Response:
        person = self._bearer(request)
        if not isinstance(person, Person):
            return person
        return JSONResponse({'id': person.subject, 'username': person.username, 'global_name': person.name or None,
                             'discriminator': '0', 'avatar': None, 'locale': 'en-US'})

    async def oidc_userinfo(self, request: Request) -> Response:
        person = self._bearer(request)
        if not isinstance(person, Person):
            return person
        return JSONResponse({'sub': person.subject, 'preferred_username': person.username, 'name': person.name,
                             'email': person.email})

    async def discovery(self, _request: Request) -> Response:
        return JSONResponse({
            'issuer': self.base_url,
            'authorization_endpoint': f'{self.base_url}/oidc/authorize',
            'token_endpoint': f'{self.base_url}/oidc/token',
            'userinfo_endpoint': f'{self.base_url}/oidc/userinfo',
            'jwks_uri': f'{self.base_url}/oidc/jwks',
            'response_types_supported': ['code'],
            'subject_types_supported': ['public'],
            'id_token_signing_alg_values_supported': ['RS256'],
            'code_challenge_methods_supported': ['S256'],
        })

    async def jwks(self, _request: Request) -> Response:
        return JSONResponse(KeySet([self.key]).as_dict(private=False))

    def _bearer(self, request: Request) -> Person | Response:
        if self.fail_userinfo:
            return JSONResponse({'message': 'try later'}, status_code=500)
        scheme, _, access = request.headers.get('authorization', '').partition(' ')
        person = self.tokens.get(access) if scheme.lower() == 'bearer' else None
        return person if person is not None else JSONResponse({'message': '401: Unauthorized'}, status_code=401)

    def _id_token(self, grant: Grant, access: str) -> str:
        now = int(time.time())
        digest = hashlib.sha256(access.encode()).digest()
        claims = {'iss': self.base_url, 'sub': grant.person.subject, 'aud': grant.client_id, 'iat': now,
                  'exp': now + 300, 'at_hash': base64.urlsafe_b64encode(digest[:16]).rstrip(b'=').decode()}
        if grant.nonce:
            claims['nonce'] = grant.nonce
        return jwt.encode({'alg': 'RS256', 'kid': 'fake-1'}, claims, self.key)


class RunningProvider:
    """The fake provider served by uvicorn in a thread on a free port of 127.0.0.1."""

    def __init__(self, provider: FakeProvider | None = None) -> None:
        self.provider = provider or FakeProvider()
        self.port = free_port()
        self.provider.base_url = f'http://127.0.0.1:{self.port}'
        config = uvicorn.Config(self.provider.app(), host='127.0.0.1', port=self.port, log_level='warning',
                                lifespan='off')
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name='fake-oauth-provider', daemon=True)

    def __enter__(self) -> FakeProvider:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError('the fake OAuth provider did not start')
            time.sleep(0.01)
        return self.provider

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """The provider goes down: its port refuses connections from now on."""
        self.server.should_exit = True
        self.thread.join(timeout=5)


def _back(redirect_uri: str, **params: str) -> RedirectResponse:
    separator = '&' if '?' in redirect_uri else '?'
    return RedirectResponse(f'{redirect_uri}{separator}{urlencode(params)}', status_code=302)


def _client(request: Request, form: dict[str, str]) -> tuple[str, str]:
    """The client's id and secret from HTTP Basic (client_secret_basic) or the form (client_secret_post)."""
    scheme, _, encoded = request.headers.get('authorization', '').partition(' ')
    if scheme.lower() == 'basic':
        client_id, _, secret = base64.b64decode(encoded).decode().partition(':')
        return client_id, secret
    return form.get('client_id', ''), form.get('client_secret', '')


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b'=').decode()
