"""Admin → Users: create agents and admins, change roles, deactivate (history stays, sessions end)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from domain import access, permissions
from domain.accounts.service import check_password, check_username, hash_password
from domain.errors import Conflict, InvalidInput, NotFound
from domain.events import SessionsRevoked
from domain.slices import Slice, bounded, sliced
from domain.text import storable
from storage.rows import UserRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from storage.users import UserChoice

PAGE_SIZE = 50

# What anyone else is told (translated like every domain message).
ADMINS_ONLY = 'Only admins manage users.'
STAFF_ONLY = 'Only staff look users up.'
SEARCH_LIMIT = 20  # a picker shows a few matches; typing more narrows them


@dataclass(frozen=True)
class UsersPage:
    rows: list[UserRow]
    page: int
    has_next: bool


class UserAdminService:
    def __init__(self, uow: UnitOfWorkFactory, *, bcrypt_rounds: int = 12) -> None:
        self.uow = uow
        self._rounds = bcrypt_rounds

    async def list(self, *, actor_id: int | None, search: str = '', page: int = 1) -> UsersPage:
        page = max(1, page)
        async with self.uow() as uow:
            await access.require_admin(uow, actor_id, ADMINS_ONLY)
            rows = await uow.users.page(search=storable(search).strip()[:64], offset=(page - 1) * PAGE_SIZE,
                                        limit=PAGE_SIZE + 1)
        return UsersPage(rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE)

    async def browse(self, *, actor_id: int | None, search: str = '', after: str | None = None,
                     limit: int = PAGE_SIZE) -> Slice[UserRow]:
        """Users by name after `after` (a casefolded username), for clients paging by key (the API)."""
        limit = bounded(limit)
        async with self.uow() as uow:
            await access.require_admin(uow, actor_id, ADMINS_ONLY)
            rows = await uow.users.page(search=storable(search).strip()[:64], offset=0, limit=limit + 1,
                                        after=storable(after) if after is not None else None)
        return sliced(rows, limit)

    async def search(self, *, actor_id: int | None, text: str = '', staff_only: bool = False,
                     limit: int = SEARCH_LIMIT) -> list[UserChoice]:
        """Users by name, username or email, for staff choosing one (a rule's customer, an agent)."""
        async with self.uow() as uow:
            await access.require_staff(uow, actor_id, STAFF_ONLY)
            return await uow.users.search(storable(text).strip()[:64], staff_only=staff_only,
                                          limit=max(1, min(limit, SEARCH_LIMIT)))

    async def choices(self, *, actor_id: int | None, user_ids: list[int]) -> list[UserChoice]:
        """The users of these ids as a picker names them (for values chosen earlier)."""
        async with self.uow() as uow:
            await access.require_staff(uow, actor_id, STAFF_ONLY)
            return await uow.users.choices(user_ids[:SEARCH_LIMIT])

    async def create(self, *, actor_id: int | None, username: str, password: str, role: str) -> UserRow:
        username = username.strip()
        check_username(username)
        check_password(password)
        _check_role(role)
        password_hash = await asyncio.to_thread(hash_password, password, self._rounds)
        async with self.uow(write=True) as uow:
            admin = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            if await uow.users.exists(username.casefold()):
                raise Conflict('This username is taken.', field='username')
            user_id = await uow.users.add(username=username, password_hash=password_hash, role=role)
            uow.events.add('user.created', actor_id=admin.id, user_id=user_id, role=role)
            await uow.commit()
            user = await uow.users.get(user_id)
        assert user is not None
        return user

    async def set_role(self, *, actor_id: int | None, user_id: int, role: str) -> None:
        _check_role(role)
        async with self.uow(write=True) as uow:
            admin = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            user = await _user(uow, user_id)
            if user.role == role:
                return
            if permissions.is_admin(user):
                await _keep_an_admin(uow, user)
            await uow.users.set_role(user.id, role)
            uow.events.add('user.role_changed', actor_id=admin.id, user_id=user.id, **{'from': user.role, 'to': role})
            uow.emit(SessionsRevoked(user.id))  # their pages rebuild with the new role's rights
            await uow.commit()

    async def set_active(self, *, actor_id: int | None, user_id: int, active: bool) -> None:
        """Deactivating ends every session of the user at once; their requests and messages stay."""
        async with self.uow(write=True) as uow:
            admin = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            user = await _user(uow, user_id)
            if user.is_active == active:
                return
            if not active and user.id == admin.id:
                raise InvalidInput('You cannot deactivate yourself.')
            if not active and permissions.is_admin(user):
                await _keep_an_admin(uow, user)
            await uow.users.set_active(user.id, active)
            if not active:  # their API sign-ins end too: no refresh token of theirs works again
                await uow.refresh_tokens.revoke_user(user.id, datetime.now(UTC))
            uow.events.add('user.activated' if active else 'user.deactivated', actor_id=admin.id, user_id=user.id)
            uow.emit(SessionsRevoked(user.id))  # sessions end on deactivation; either way what is known of them changed
            await uow.commit()


async def _user(uow: UnitOfWork, user_id: int) -> UserRow:
    user = await uow.users.get(user_id)
    if user is None:
        raise NotFound('This user does not exist.')
    return user


async def _keep_an_admin(uow: UnitOfWork, leaving: UserRow) -> None:
    admins = [user for user in await uow.users.staff() if permissions.is_admin(user) and user.id != leaving.id]
    if not admins:
        raise Conflict('At least one active admin must remain.')


def _check_role(role: str) -> None:
    if role not in permissions.ROLES:
        raise InvalidInput('Choose customer, agent or admin.', field='role')
