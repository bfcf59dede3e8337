"""Shared API schemas: errors, pages, ids, and the account ones (users, tokens)."""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from domain.text import has_surrogate

T = TypeVar('T')
MAX_ID = 2**63 - 1  # BIGINT: a larger number can name nothing, and would overflow the database's parameter


def _whole_number(value: object) -> object:
    # Left to itself pydantic takes true for 1 and "7" for 7; the schema says integer, so the server does too.
    if isinstance(value, bool | str):
        raise ValueError('must be a JSON number')
    return value


Whole = Annotated[int, BeforeValidator(_whole_number)]
Id = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_whole_number)]
# What the services refuse, stated where the schema shows it: text needs more than spaces and NULs, which they drop.
NOT_BLANK = r'[^\s\x00]'
Role = Literal['customer', 'agent', 'admin']  # domain.permissions.ROLES
USERNAME = r'^[\w.\-]{3,32}$'  # domain.accounts.service.USERNAME
NotifyEvent = Literal['status.changed', 'assigned']  # domain.jobs.preferences.NOTIFY_EVENTS
# domain.jobs.preferences.EMAIL, or nothing; the spaces around it are dropped.
EMAIL = r'^\s*(?:[^@\s<>()\[\],;:"\\]{1,64}@(?:[^@\s<>()\[\],;:"\\.]+\.)+[^@\s<>()\[\],;:"\\.]+)?\s*$'


class Input(BaseModel):
    """A request body: unknown fields are refused, so a typo never passes silently."""

    # Python's regex engine, as the domain's own checks use: the patterns mean the same in both places.
    model_config = ConfigDict(extra='forbid', regex_engine='python-re')

    @field_validator('*', mode='before')  # before the type check, so the reason names the surrogate
    @classmethod
    def _unicode(cls, value: object) -> object:
        # JSON may escape half of a UTF-16 pair ("\ud800"): valid JSON, but no character, and no database stores it.
        if _holds_surrogate(value):
            raise ValueError('holds a lone surrogate (\\ud800-\\udfff), which is no character; send valid Unicode')
        return value


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorDetail(BaseModel):
    code: str = Field(examples=['not_found'])
    message: str = Field(examples=['This request does not exist.'])
    field: str | None = Field(None, description='The input field at fault, when one is')


class ErrorBody(BaseModel):
    error: ErrorDetail


def example(*examples: dict[str, Any]) -> ConfigDict:
    """A model's `model_config` with examples for the OpenAPI document (Swagger shows the first one)."""
    return ConfigDict(json_schema_extra={'examples': list(examples)})


def _page_example(schema: dict[str, Any], cls: type[BaseModel]) -> None:
    # A page of X shows one X, as X's own example gives it: no page schema needs an example of its own.
    args = getattr(cls, '__pydantic_generic_metadata__', {}).get('args', ())
    extra = args[0].model_config.get('json_schema_extra') if args and isinstance(args[0], type) and issubclass(
        args[0], BaseModel) else None
    if isinstance(extra, dict) and extra.get('examples'):
        # A cursor rather than null: FastAPI drops every null from the OpenAPI document, examples included.
        schema['examples'] = [{'items': [extra['examples'][0]], 'next_cursor': 'WzI1XQ'}]


class Page(BaseModel, Generic[T]):
    model_config = ConfigDict(json_schema_extra=_page_example)
    items: list[T]
    next_cursor: str | None = Field(description='Pass as `cursor` for the next page; null on the last one')


class UserOut(Output):
    model_config = example({'id': 3, 'username': 'agent.x', 'display_name': 'agent.x', 'role': 'agent',
                            'is_active': True})
    id: int
    username: str
    display_name: str
    role: Role = Field(examples=['customer'])
    is_active: bool


class Credentials(Input):
    model_config = example({'username': 'user', 'password': 'password'})
    username: str = Field(pattern=USERNAME, description='3-32 letters, digits, dots, dashes or underscores')
    password: str = Field(min_length=8, max_length=72, description='8 characters to 72 bytes (UTF-8)')


class RefreshIn(Input):
    model_config = example({'refresh_token': 'Im5BLWU2MmNLZWlIMEMydmZlY1loQXpnVm1IdW1hZWl1Ig.axZobA.al3xNwqZWTd0wm'})
    refresh_token: str = Field(min_length=1, max_length=2000)


class TokenOut(BaseModel):
    model_config = example({'access_token': 'WzEsMV0.axZobA.5jeGyRu6GuQTPxP8vk8uF-uoZe8',
                            'refresh_token': 'Im5BLWU2MmNLZWlIMEMydmZlY1loQXpnVm1IdW1hZWl1Ig.axZobA.al3xNwqZWTd0wm',
                            'token_type': 'bearer', 'expires_in': 900})
    access_token: str = Field(description='Send as `Authorization: Bearer <token>`; valid for `expires_in` seconds')
    refresh_token: str = Field(description='Exchange once at /api/v1/auth/refresh for a new pair; valid 30 days')
    token_type: Literal['bearer'] = 'bearer'
    expires_in: int


class NotificationsOut(BaseModel):
    model_config = example({'email': 'jane@example.com', 'events': ['status.changed', 'assigned']})
    email: str | None = Field(description='Where notification email goes; null: none is sent')
    events: list[NotifyEvent] = Field(examples=[['status.changed']], description='Events that send an email')


class NotificationsIn(Input):
    model_config = example({'email': 'jane@example.com', 'events': ['status.changed', 'assigned']})
    email: str = Field('', max_length=254, pattern=EMAIL,
                       description='Empty: no address (then `events` must be empty)')
    events: list[NotifyEvent] = Field([], max_length=10)


def _holds_surrogate(value: object) -> bool:
    if isinstance(value, str):
        return not value.isascii() and has_surrogate(value)
    if isinstance(value, list | tuple):
        return any(_holds_surrogate(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_surrogate(key) or _holds_surrogate(item) for key, item in value.items())
    return False
