"""/api/v1/users: admins list users, create agents and admins, change roles, deactivate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from domain.desk import Desk
from domain.errors import NotFound

from . import pagination
from .deps import DEFAULT_LIMIT, CurrentUser, Cursor, DeskDep, IdPath, Limit
from .documented import NO_USER, USER_ADMINS, errors
from .errors import COMMON, ApiRoute
from .schemas import Page, UserOut
from .schemas_admin import ActiveIn, RoleIn, UserIn

router = APIRouter(prefix='/users', tags=['users'], route_class=ApiRoute, responses=COMMON)


@router.get('', summary='List users', responses=errors(USER_ADMINS))
async def list_users(user: CurrentUser, desk: DeskDep, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT,
                     search: Annotated[str, Query(max_length=64, description='Part of the username')] = '',
                     ) -> Page[UserOut]:
    """Users by name (admins)."""
    after = pagination.decode(cursor, str)
    found = await desk.users.browse(actor_id=user.id, search=search, limit=limit,
                                    after=after[0] if after else None)
    next_cursor = pagination.encode(found.rows[-1].username.casefold()) if found.more else None
    return Page(items=[UserOut.model_validate(row) for row in found.rows], next_cursor=next_cursor)


@router.post('', status_code=201, summary='Create a user', responses=errors(
    USER_ADMINS | {409: ('This username is taken.', 'username')}))
async def create_user(body: UserIn, user: CurrentUser, desk: DeskDep) -> UserOut:
    """An account with any role (admins)."""
    created = await desk.users.create(actor_id=user.id, username=body.username, password=body.password,
                                      role=body.role)
    return UserOut.model_validate(created)


@router.put('/{user_id}/role', summary="Change a user's role", responses=errors(
    USER_ADMINS | NO_USER | {409: 'At least one active admin must remain.'}))
async def set_role(user_id: IdPath, body: RoleIn, user: CurrentUser, desk: DeskDep) -> UserOut:
    """Change a user's role; their open pages rebuild with the new rights (admins)."""
    await desk.users.set_role(actor_id=user.id, user_id=user_id, role=body.role)
    return await _user(desk, user_id)


@router.put('/{user_id}/active', summary='Deactivate or reactivate a user', responses=errors(
    USER_ADMINS | NO_USER | {409: 'At least one active admin must remain.', 400: 'You cannot deactivate yourself.'}))
async def set_active(user_id: IdPath, body: ActiveIn, user: CurrentUser, desk: DeskDep) -> UserOut:
    """Deactivate a user (every session and token of theirs ends at once), or let them back in (admins)."""
    await desk.users.set_active(actor_id=user.id, user_id=user_id, active=body.active)
    return await _user(desk, user_id)


async def _user(desk: Desk, user_id: int) -> UserOut:
    found = await desk.accounts.get(user_id)
    if found is None:
        raise NotFound('This user does not exist.')
    return UserOut.model_validate(found)
