"""What routes ask for: the desk, the signed-in user behind the bearer token, paging parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPBearer

from domain.desk import Desk
from domain.slices import MAX_ROWS
from storage.rows import UserRow

from .schemas import MAX_ID

DEFAULT_LIMIT = 25


async def get_desk(request: Request) -> Desk:
    return request.app.state.desk  # set by api.install


DeskDep = Annotated[Desk, Depends(get_desk)]


async def get_client_address(request: Request) -> str:
    """The caller's address as the rate limits see it (edges/wiring.py), for the sign-in throttle."""
    address = getattr(request.app.state, 'client_address', None)  # absent on an app without the edges
    if address is not None:
        return address(request.scope)
    return request.client.host if request.client else 'unknown'


ClientAddressDep = Annotated[str, Depends(get_client_address)]


class BearerUser(HTTPBearer):
    """The token's user; no database read while their account is unchanged (see TokenService.user).

    One dependency that is also the API's documented security scheme: as three (the scheme, the desk, the user)
    FastAPI solved each one separately on every call.
    """

    async def __call__(self, request: Request) -> UserRow:  # type: ignore[override]
        credentials = await super().__call__(request)
        desk: Desk = request.app.state.desk
        return await desk.tokens.user(credentials.credentials if credentials else None)


current_user = BearerUser(auto_error=False, scheme_name='HTTPBearer',
                          description='An access token from POST /api/v1/auth/token')
CurrentUser = Annotated[UserRow, Depends(current_user)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
# What pagination.encode hands out: unpadded URL-safe base64.
Cursor = Annotated[str | None, Query(min_length=1, max_length=500, pattern=r'^[A-Za-z0-9_-]+$',
                                     description='`next_cursor` of the previous page, as it was handed out')]
Limit = Annotated[int, Query(ge=1, le=MAX_ROWS, description=f'Items per page, at most {MAX_ROWS}')]
