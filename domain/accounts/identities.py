"""Sign-in through outside providers (OAuth 2.0 / OpenID Connect): accounts found, created or linked by identity."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from domain.accounts.service import AccountService
from domain.errors import Conflict, ConstraintConflict, InvalidInput, NotSignedIn, PermissionDenied
from storage.identities import IdentityRow
from storage.rows import UserRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

ATTEMPTS = 3  # a first sign-in racing another one for the same person (two tabs) retries and then finds the account
NOT_USERNAME = re.compile(r'[^\w.\-]+')


@dataclass(frozen=True)
class OutsideIdentity:
    """Who a provider says signed in: its stable user id (`subject`) and the names it offers."""

    provider: str  # the configured provider's key, e.g. 'discord'
    subject: str
    username: str = ''  # a handle to derive the username from
    display_name: str = ''


class IdentityService:
    def __init__(self, uow: UnitOfWorkFactory, accounts: AccountService) -> None:
        self.uow = uow
        self.accounts = accounts

    async def sign_in(self, identity: OutsideIdentity) -> tuple[UserRow, str]:
        """The account linked to `identity` (a new customer on the first sign-in) and a session token for it."""
        user = await self.account(identity)
        if not user.is_active:
            raise PermissionDenied('This account is deactivated. Ask an administrator to turn it back on.')
        return user, self.accounts.session_token(user)

    async def account(self, identity: OutsideIdentity) -> UserRow:
        """The account linked to `identity`, or a new customer without a password linked to it (active or not)."""
        _check(identity)
        user: UserRow | None = None
        for attempt in range(ATTEMPTS):
            async with self.uow(write=True) as uow:  # usually only reads; a first sign-in writes
                user_id = await uow.identities.owner(identity.provider, identity.subject)
                if user_id is None:
                    try:
                        user_id = await _create(uow, identity)
                    except ConstraintConflict:  # created by a parallel sign-in, or the username was just taken
                        if attempt == ATTEMPTS - 1:
                            raise
                        continue
                    await uow.commit()
                user = await uow.users.get(user_id)
            break
        if user is None:  # deleted between the lookup and the read
            raise PermissionDenied('This account is deactivated. Ask an administrator to turn it back on.')
        return user

    async def link(self, *, user_id: int | None, identity: OutsideIdentity, provider_name: str) -> None:
        """Link `identity` to a signed-in user; one already linked to someone else is refused."""
        _check(identity)
        async with self.uow(write=True) as uow:
            user = await uow.users.get(user_id) if user_id is not None else None
            if user is None or not user.is_active:
                raise NotSignedIn('Your session has ended. Sign in again to continue.')
            owner = await uow.identities.owner(identity.provider, identity.subject)
            if owner == user.id:
                return
            if owner is not None:
                raise Conflict('This {provider} account is already linked to another user.', provider=provider_name)
            if any(row.provider == identity.provider for row in await uow.identities.of_user(user.id)):
                raise Conflict('Your account is already linked to another {provider} account.',
                               provider=provider_name)
            try:
                await uow.identities.add(user_id=user.id, provider=identity.provider, subject=identity.subject)
            except ConstraintConflict:  # linked by another request a moment ago
                raise Conflict('This {provider} account is already linked to another user.',
                               provider=provider_name) from None
            uow.events.add('identity.linked', actor_id=user.id, provider=identity.provider)
            await uow.commit()

    async def linked(self, user_id: int) -> list[IdentityRow]:
        """The outside accounts linked to a user, by provider."""
        async with self.uow() as uow:
            return await uow.identities.of_user(user_id)


def _check(identity: OutsideIdentity) -> None:
    if not identity.provider or not identity.subject or len(identity.subject) > 255:
        raise InvalidInput('The sign-in service sent an account we cannot use.')


async def _create(uow: UnitOfWork, identity: OutsideIdentity) -> int:
    """A customer without a password, named after what the provider offers, linked to the identity."""
    username = await _free_username(uow, identity.username or identity.display_name, identity.provider)
    display_name = (identity.display_name.strip() or username)[:120]
    user_id = await uow.users.add(username=username, password_hash=None, role='customer', display_name=display_name)
    await uow.identities.add(user_id=user_id, provider=identity.provider, subject=identity.subject)
    uow.events.add('user.registered', actor_id=user_id, role='customer', provider=identity.provider)
    return user_id


def username_base(wanted: str, provider: str) -> str:
    """`wanted` cut down to what a username may hold (3–32 letters, digits, dots, dashes, underscores)."""
    base = NOT_USERNAME.sub('_', wanted.strip()).strip('._-')[:32]
    if len(base) < 3:
        base = f'{provider}_{base}'.strip('_')[:32]
    return base if len(base) >= 3 else f'user_{base}'.strip('_')


async def _free_username(uow: UnitOfWork, wanted: str, provider: str) -> str:
    base = username_base(wanted, provider)
    for candidate in (base, *(f'{base[:29]}_{n}' for n in range(2, 10))):
        if not await uow.users.exists(candidate.casefold()):
            return candidate
    return f'{base[:23]}_{uuid.uuid4().hex[:8]}'  # a crowded name: a random suffix instead of counting on
