"""API tokens: short-lived signed access tokens, and refresh tokens that rotate in families and can be revoked."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from domain import access
from domain.accounts.service import ON_THIS_MACHINE, AccountService
from domain.coalesce import Coalescer
from domain.errors import NotSignedIn
from storage.rows import UserRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

ACCESS_MAX_AGE = 15 * 60
REFRESH_MAX_AGE = 30 * 24 * 3600
SIGNED_OUT = 'Your session has ended. Sign in again to continue.'
SIGN_IN = 'Sign in first: send an access token.'
VERIFIED_MAX = 10_000  # access tokens whose signature was checked, kept until they expire
Clock = Callable[[], float]


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token lives
    user: UserRow


class TokenService:
    def __init__(self, uow: UnitOfWorkFactory, accounts: AccountService, viewers: Coalescer[UserRow | None], *,
                 secret_key: str, clock: Clock = time.time) -> None:
        self.uow = uow
        self.accounts = accounts
        # Users by id, shared with the pages' services and forgotten on SessionsRevoked (which also reaches the
        # other instances): checking an access token costs no database read while nothing changed.
        self.viewers = viewers
        self._clock = clock
        self._access = _serializer(secret_key, 'switchboard.api.access', clock)
        self._refresh = _serializer(secret_key, 'switchboard.api.refresh', clock)
        # Every API call checks its token twice (the rate limit asks whose it is, then the route) and a client
        # sends the same token for 15 minutes: its signature is checked once. Only genuine tokens are kept.
        self._verified: dict[str, tuple[int, tuple[int, int]]] = {}  # token -> (issued at, claims)

    async def sign_in(self, *, username: str, password: str, address: str = ON_THIS_MACHINE) -> TokenPair:
        """Check the password (throttled per client address, bcrypt in a thread); start a family of refresh tokens."""
        user = await self.accounts.authenticate(username=username, password=password, address=address)
        async with self.uow(write=True) as uow:
            await uow.refresh_tokens.purge_expired(user.id, self._now())
            pair = await self._issue(uow, user, family=None)
            await uow.commit()
        return pair

    def peek(self, access_token: str) -> int | None:
        """The user id of a genuine, fresh access token; no database read (it may have been revoked since)."""
        claims = self._claims(access_token)
        return claims[0] if claims else None

    async def user(self, access_token: str | None) -> UserRow:
        """The active user an access token names, unless their sessions were ended since it was issued."""
        if not access_token:
            raise NotSignedIn(SIGN_IN)
        claims = self._claims(access_token)
        if claims is None:
            raise NotSignedIn(SIGNED_OUT)
        user_id, version = claims
        user = await self.viewers.get(user_id, lambda: self._load(user_id))
        if user is None or not user.is_active or user.session_version != version:
            raise NotSignedIn(SIGNED_OUT)
        return user

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Use up a refresh token for a new pair; a token used twice gives the chain away, so the family ends."""
        jti = self._jti(refresh_token)
        now = self._now()
        async with self.uow(write=True) as uow:
            token = await uow.refresh_tokens.find(jti) if jti else None
            if token is None or token.revoked_at is not None or token.expires_at <= now:
                raise NotSignedIn(SIGNED_OUT)
            current = token.user_is_active and token.user_session_version == token.session_version
            if not current or not await uow.refresh_tokens.use(token.id, now):
                # Reused (stolen, or replayed) or the user's sessions ended: nobody may continue this chain.
                await uow.refresh_tokens.revoke_family(token.family, now)
                if current:
                    uow.events.add('api.token_reused', actor_id=token.user_id)
                await uow.commit()
                raise NotSignedIn(SIGNED_OUT)
            user = await access.signed_in(uow, token.user_id)
            pair = await self._issue(uow, user, family=token.family)
            await uow.commit()
        return pair

    async def sign_out(self, refresh_token: str) -> None:
        """End the sign-in the refresh token belongs to: no token of its family refreshes again."""
        jti = self._jti(refresh_token)
        if jti is None:
            raise NotSignedIn(SIGNED_OUT)
        async with self.uow(write=True) as uow:
            token = await uow.refresh_tokens.find(jti)
            if token is not None:
                await uow.refresh_tokens.revoke_family(token.family, self._now())
                await uow.commit()

    async def _issue(self, uow: UnitOfWork, user: UserRow, *, family: str | None) -> TokenPair:
        jti = secrets.token_urlsafe(24)
        now = self._now()
        await uow.refresh_tokens.add(jti=jti, family=family or jti, user_id=user.id,
                                     session_version=user.session_version, created_at=now,
                                     expires_at=now + timedelta(seconds=REFRESH_MAX_AGE))
        return TokenPair(self._access.dumps([user.id, user.session_version]), self._refresh.dumps(jti),
                         ACCESS_MAX_AGE, user)

    def _claims(self, access_token: str) -> tuple[int, int] | None:
        known = self._verified.get(access_token)
        if known is not None and 0 <= int(self._clock()) - known[0] <= ACCESS_MAX_AGE:  # itsdangerous' own test
            return known[1]
        loaded = _loads(self._access, access_token, ACCESS_MAX_AGE, return_timestamp=True)
        if loaded is None:
            self._verified.pop(access_token, None)
            return None
        claims, issued = loaded
        if not (isinstance(claims, list) and len(claims) == 2 and all(type(value) is int for value in claims)):
            return None
        if len(self._verified) >= VERIFIED_MAX:
            self._verified.clear()
        self._verified[access_token] = (int(issued.timestamp()), (claims[0], claims[1]))
        return claims[0], claims[1]

    def _jti(self, refresh_token: str) -> str | None:
        jti = _loads(self._refresh, refresh_token, REFRESH_MAX_AGE)
        return jti if isinstance(jti, str) else None

    async def _load(self, user_id: int) -> UserRow | None:
        async with self.uow() as uow:
            return await uow.users.get(user_id)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)


def _serializer(secret_key: str, salt: str, clock: Clock) -> URLSafeTimedSerializer:
    class Signer(TimestampSigner):
        def get_timestamp(self) -> int:  # the service's clock, so tests can move time on
            return int(clock())

    return URLSafeTimedSerializer(secret_key, salt=salt, signer=Signer)


def _loads(serializer: URLSafeTimedSerializer, token: str, max_age: int, *, return_timestamp: bool = False) -> Any:
    try:
        return serializer.loads(token, max_age=max_age, return_timestamp=return_timestamp)
    except (BadSignature, ValueError, TypeError, UnicodeError):
        return None
