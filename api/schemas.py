"""Shared API schemas: errors, pages, ids, and the account ones (users, tokens)."""

from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.text import has_surrogate

T = TypeVar('T')
MAX_ID = 2**63 - 1  # BIGINT: a larger number can name nothing, and would overflow the database's parameter
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Input(BaseModel):
    """A request body: unknown fields are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra='forbid')

    @field_validator('*')
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


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description='Pass as `cursor` for the next page; null on the last one')


class UserOut(Output):
    id: int
    username: str
    display_name: str
    role: str = Field(examples=['customer'], description='customer, agent or admin')
    is_active: bool


class Credentials(Input):
    username: str
    password: str


class RefreshIn(Input):
    refresh_token: str


class TokenOut(BaseModel):
    access_token: str = Field(description='Send as `Authorization: Bearer <token>`; valid for `expires_in` seconds')
    refresh_token: str = Field(description='Exchange once at /api/v1/auth/refresh for a new pair; valid 30 days')
    token_type: Literal['bearer'] = 'bearer'
    expires_in: int


class NotificationsOut(BaseModel):
    email: str | None = Field(description='Where notification email goes; null: none is sent')
    events: list[str] = Field(examples=[['status.changed']],
                              description="Events that send an email: 'status.changed', 'assigned'")


class NotificationsIn(Input):
    email: str = Field('', max_length=320, description='Empty: no address (then `events` must be empty)')
    events: list[str] = Field([], max_length=10)


def _holds_surrogate(value: object) -> bool:
    if isinstance(value, str):
        return not value.isascii() and has_surrogate(value)
    if isinstance(value, list | tuple):
        return any(_holds_surrogate(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_surrogate(key) or _holds_surrogate(item) for key, item in value.items())
    return False
