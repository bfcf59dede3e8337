"""/api/v1/auth: register, trade a password for tokens, refresh them, who am I, sign out, my notifications."""

from __future__ import annotations

from fastapi import APIRouter, Response

from domain.accounts.tokens import TokenPair

from .deps import ClientAddressDep, CurrentUser, DeskDep
from .documented import SIGN_IN, errors
from .errors import COMMON, ApiRoute
from .schemas import Credentials, NotificationsIn, NotificationsOut, RefreshIn, TokenOut, UserOut

router = APIRouter(prefix='/auth', tags=['auth'], route_class=ApiRoute, responses=COMMON)
SESSION_ENDED = {401: 'Your session has ended. Sign in again to continue.'}


@router.post('/register', status_code=201, summary='Create a customer account',
             responses=errors({409: ('This username is taken.', 'username'),
                               422: ('password: String should have at least 8 characters', 'password')}))
async def register(body: Credentials, desk: DeskDep) -> UserOut:
    """Create a customer account; then get tokens with POST /auth/token."""
    user = await desk.accounts.register(username=body.username, password=body.password, repeat=body.password)
    return UserOut.model_validate(user)


@router.post('/token', summary='Sign in: get an access and a refresh token', responses=errors({
    400: 'Wrong username or password.',  # a deactivated account too: nobody learns which accounts exist
    429: 'Too many failed attempts. Try again in 30 s.'}))
async def token(body: Credentials, desk: DeskDep, address: ClientAddressDep) -> TokenOut:
    """Trade a username and password for an access token (15 minutes) and a refresh token (30 days)."""
    return _tokens(await desk.tokens.sign_in(username=body.username, password=body.password, address=address))


@router.post('/refresh', summary='Trade a refresh token for a new pair', responses=errors(SESSION_ENDED))
async def refresh(body: RefreshIn, desk: DeskDep) -> TokenOut:
    """Trade a refresh token for a new pair. Each refresh token works once: using one twice ends the sign-in."""
    return _tokens(await desk.tokens.refresh(body.refresh_token))


@router.post('/sign-out', status_code=204, response_class=Response, summary='Sign out',
             responses=errors(SESSION_ENDED))
async def sign_out(body: RefreshIn, desk: DeskDep) -> None:
    """End the sign-in the refresh token belongs to; access tokens already issued lapse within 15 minutes."""
    await desk.tokens.sign_out(body.refresh_token)


@router.get('/me', summary='Who am I', responses=errors(SIGN_IN))
async def me(user: CurrentUser) -> UserOut:
    """The signed-in user."""
    return UserOut.model_validate(user)


@router.get('/me/notifications', summary='Read my notification choices', responses=errors(SIGN_IN))
async def my_notifications(user: CurrentUser, desk: DeskDep) -> NotificationsOut:
    """Where notification email goes and which events send one."""
    choices = await desk.preferences.notifications(actor_id=user.id)
    return NotificationsOut(email=choices.email, events=list(choices.events))


@router.put('/me/notifications', summary='Choose my notifications', responses=errors(
    SIGN_IN | {422: ('Enter the email address notifications should go to.', 'email')}))
async def set_my_notifications(body: NotificationsIn, user: CurrentUser, desk: DeskDep) -> NotificationsOut:
    """Replace the notification choices; an empty `email` with events chosen is refused."""
    choices = await desk.preferences.set_notifications(actor_id=user.id, email=body.email, events=body.events)
    return NotificationsOut(email=choices.email, events=list(choices.events))


def _tokens(pair: TokenPair) -> TokenOut:
    return TokenOut(access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in)
