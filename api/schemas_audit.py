"""Schemas for the audit log: one action as the Audit log page shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from .schemas import Output


class AuditEntryOut(Output):
    model_config = {'from_attributes': True, 'json_schema_extra': {'examples': [{
        'id': 4821, 'created_at': '2026-01-05T09:30:00Z', 'kind': 'rule.created', 'actor_id': 1, 'actor': 'Admin',
        'actor_username': 'admin', 'request_id': None, 'request_title': None, 'request_private': False,
        'channel': 'api', 'before': None, 'after': 'name=Telegram chat 1234567 to agent.x, trigger=request.created',
        'details': 'rule_id=7, name=Telegram chat 1234567 to agent.x', 'data': {'rule_id': 7}}]}}
    id: int = Field(description='Increasing: newer actions have larger ids')
    created_at: datetime
    kind: str = Field(description='What was done (GET /api/v1/audit/kinds lists those in the log)')
    actor_id: int | None = Field(description='null: done by the system (a rule, a timer)')
    actor: str = Field(description='Display name; empty for the system')
    actor_username: str
    request_id: int | None
    request_title: str | None
    request_private: bool = Field(description='A desk ticket rather than a board request')
    channel: str
    before: str | None = Field(description='What changed, as it was; null when the action records no change')
    after: str | None
    details: str = Field(description='The rest, as key=value')
    data: dict[str, Any] = Field(description='Everything the action recorded, as stored')


class KindsOut(BaseModel):
    model_config = {'json_schema_extra': {'examples': [{'kinds': ['request.created', 'rule.created',
                                                                  'status.changed']}]}}
    kinds: list[str] = Field(examples=[['request.created', 'rule.created', 'status.changed']])
