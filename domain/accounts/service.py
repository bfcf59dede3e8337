"""Accounts: registration, sign-in with signed session tokens, and remembered preferences."""

from __future__ import annotations

import asyncio
import functools
import math
import re

import bcrypt
from itsdangerous import BadSignature, URLSafeTimedSerializer

from domain.accounts.throttle import LoginThrottle
from domain.accounts.time_zones import is_time_zone
from domain.coalesce import MANY_KEYS, Coalescer
from domain.errors import Conflict, InvalidInput, TooManyAttempts
from domain.text import storable
from storage.rows import UserRow
from storage.unit_of_work import UnitOfWorkFactory

USERNAME = re.compile(r'^[\w.\-]{3,32}$')
SESSION_MAX_AGE = 30 * 24 * 3600
BCRYPT_ROUNDS = 12
LANGUAGES = ('en', 'ru')
THEMES = ('light', 'dark')
WRONG_CREDENTIALS = 'Wrong username or password.'
TOO_MANY = 'Too many failed attempts. Try again in {seconds} s.'
ON_THIS_MACHINE = 'local'  # the address of sign-ins made by the app itself (demo seeding, tools)


class AccountService:
    def __init__(self, uow: UnitOfWorkFactory, *, secret_key: str, bcrypt_rounds: int = BCRYPT_ROUNDS,
                 viewers: Coalescer[UserRow | None] | None = None) -> None:
        self.uow = uow
        self.viewers = viewers or Coalescer(max_keys=MANY_KEYS)  # forgotten when a user's sessions are revoked
        self.throttle = LoginThrottle()
        self._tokens = URLSafeTimedSerializer(secret_key, salt='switchboard.session')
        self._rounds = bcrypt_rounds

    async def register(self, *, username: str, password: str, repeat: str, role: str = 'customer') -> UserRow:
        username = username.strip()
        check_username(username)
        check_password(password)
        if password != repeat:
            raise InvalidInput('The passwords do not match.', field='repeat')
        # bcrypt is CPU-heavy: hash in a thread, never on the event loop.
        password_hash = await asyncio.to_thread(hash_password, password, self._rounds)
        async with self.uow(write=True) as uow:
            if await uow.users.exists(username.casefold()):
                raise Conflict('This username is taken.', field='username')
            user_id = await uow.users.add(username=username, password_hash=password_hash, role=role)
            uow.events.add('user.registered', actor_id=user_id, role=role)
            await uow.commit()
            user = await uow.users.get(user_id)
        assert user is not None
        return user

    async def sign_in(self, *, username: str, password: str,
                      address: str = ON_THIS_MACHINE) -> tuple[UserRow, str]:
        """Check the password; returns the user and a session token for the cookie store."""
        user = await self.authenticate(username=username, password=password, address=address)
        return user, self.session_token(user)

    async def authenticate(self, *, username: str, password: str, address: str = ON_THIS_MACHINE) -> UserRow:
        """The active user with this username and password; failures are throttled per address (throttle.py)."""
        # Never per username alone: guesses from elsewhere would lock the owner out at his own address.
        key = storable(username).strip().casefold()
        wait = self.throttle.attempt(key, address)
        if wait > 0:
            seconds = max(1, math.ceil(wait))  # the same figure as the API's Retry-After header
            raise TooManyAttempts(TOO_MANY, retry_after=seconds, seconds=seconds)
        async with self.uow() as uow:
            found = await uow.users.credentials(key)
        user, password_hash = found if found else (None, None)
        matches = await asyncio.to_thread(_check, password, password_hash, self._rounds)
        if user is None or not matches or not user.is_active:
            raise InvalidInput(WRONG_CREDENTIALS)  # counted as a failure when it was let through
        self.throttle.succeeded(key, address)
        return user

    def session_token(self, user: UserRow) -> str:
        """A signed token naming the user and their session version: what the browser's session keeps."""
        return self._tokens.dumps([user.id, user.session_version])

    async def session_user(self, token: str | None) -> UserRow | None:
        """The user a session token belongs to, if it is genuine, fresh, and not revoked."""
        claims = self._claims(token)
        return _current(await self._user(claims[0]), claims) if claims else None

    async def session_user_id(self, token: str | None) -> int | None:
        """Who a session token acts as, asked before each thing a page does: the user is read from memory, as an
        API token's is, since only their activity and session version matter here and changing either revokes
        their sessions. Read from the database each time, a busy widget's sends and typing waited for connections
        (bench/live_load.py scenario 8)."""
        claims = self._claims(token)
        if claims is None:
            return None
        user = _current(await self.viewers.get(claims[0], lambda: self._user(claims[0])), claims)
        return user.id if user else None

    def _claims(self, token: str | None) -> tuple[int, int] | None:
        """(user id, session version) of a genuine, fresh session token."""
        if not token:
            return None
        try:
            user_id, version = self._tokens.loads(token, max_age=SESSION_MAX_AGE)
            return int(user_id), version
        except (BadSignature, ValueError, TypeError):
            return None

    async def _user(self, user_id: int) -> UserRow | None:
        async with self.uow() as uow:
            return await uow.users.get(user_id)

    async def set_preferences(self, user_id: int, *, locale: str | None = None, theme: str | None = None,
                              time_zone: str | None = None) -> None:
        """Change what is given; `time_zone=''` goes back to the browser's zone."""
        values: dict[str, str | None] = {}
        if locale is not None:
            if locale not in LANGUAGES:
                raise InvalidInput('Unknown language.', field='locale')
            values['locale'] = locale
        if theme is not None:
            if theme not in THEMES:
                raise InvalidInput('Unknown theme.', field='theme')
            values['theme'] = theme
        if time_zone is not None:
            if time_zone and not is_time_zone(time_zone):
                raise InvalidInput('Unknown time zone.', field='time_zone')
            values['time_zone'] = time_zone or None
        if not values:
            return
        async with self.uow(write=True) as uow:
            await uow.users.set_preferences(user_id, **values)
            await uow.commit()

    async def get(self, user_id: int) -> UserRow | None:
        async with self.uow() as uow:
            return await uow.users.get(user_id)


def check_username(username: str) -> None:
    if not username:
        raise InvalidInput('Enter a username.', field='username')
    if not USERNAME.match(username):
        raise InvalidInput('3–32 letters, digits, dots, dashes or underscores.', field='username')


def check_password(password: str) -> None:
    if len(password) < 8:
        raise InvalidInput('At least 8 characters.', field='password')
    if len(password.encode()) > 72:  # bcrypt looks at 72 bytes only
        raise InvalidInput('At most 72 bytes.', field='password')


def hash_password(password: str, rounds: int) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


@functools.cache
def _dummy_hash(rounds: int) -> bytes:
    return bcrypt.hashpw(b'not a password', bcrypt.gensalt(rounds))


def _check(password: str, password_hash: str | None, rounds: int) -> bool:
    encoded = password.encode()[:72]
    if password_hash is None:
        # An unknown username costs as long as a known one, so timing does not tell which it was.
        bcrypt.checkpw(encoded, _dummy_hash(rounds))
        return False
    try:
        return bcrypt.checkpw(encoded, password_hash.encode())
    except ValueError:
        return False


def _current(user: UserRow | None, claims: tuple[int, int]) -> UserRow | None:
    """The user, if their sessions were not ended since the token was signed."""
    return user if user is not None and user.is_active and user.session_version == claims[1] else None
