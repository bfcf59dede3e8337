"""Schemas for rules: conditions and actions one shape per kind, users named by id or username."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from domain.rules.checks import MAX_ROWS, MAX_SECONDS, NAME_MAX, NEXT, NOTE_MAX, TEXT_MAX
from domain.rules.service import RuleDraft, RuleRow, RulesView

from .schemas import USERNAME, Id, Input, Whole

Trigger = Literal['request.created', 'message.received', 'status.changed', 'time_in_status']  # checks.TRIGGERS
Channel = Literal['web', 'telegram', 'api', 'widget']  # checks.CHANNELS
Is = Literal['is', 'is_not']
Username = Annotated[str, Field(pattern=USERNAME, description='A username, any case')]
UserRef = Annotated[Id | Username, Field(description='A user by id (a number) or by username (text)',
                                         examples=['agent.x'])]
Status = Annotated[str, Field(min_length=1, max_length=200, description='A status name of the workflows')]
# Text people type on the page is checked by the domain, so the API answers with the page's messages.
Name = Annotated[str, Field(max_length=4 * NAME_MAX, description=f'More than spaces, at most {NAME_MAX} characters')]


class Part(BaseModel):
    """A condition or an action: unknown fields refused, as in Input."""

    # Not an Input: pydantic's tagged unions take no validator on the tag. The rule's own Input check for lone
    # surrogates runs over its conditions and actions whole.
    model_config = ConfigDict(extra='forbid', regex_engine='python-re')


class QueueIs(Part):
    field: Literal['queue']
    op: Is
    value: Id = Field(description='A queue id (GET /api/v1/queues)')


class ChannelIs(Part):
    field: Literal['channel']
    op: Is
    value: Channel


class CustomerIs(Part):
    field: Literal['customer']
    op: Is
    value: UserRef = Field(description='The author of the request')


class TelegramChatIs(Part):
    field: Literal['telegram_chat']
    op: Literal['is']
    value: Annotated[str, Field(max_length=40)] | Whole = Field(
        description='The Telegram chat id the customer writes from: up to 20 digits', examples=['1234567'])


class TitleContains(Part):
    field: Literal['title']
    op: Literal['contains']
    value: str = Field(max_length=4 * TEXT_MAX, description=f'More than spaces, at most {TEXT_MAX} characters; '
                                                            'any case')


class StatusIs(Part):
    field: Literal['status']
    op: Literal['is', 'is_not', 'in']
    value: Status | list[Status] = Field(description='A name for is / is_not, a list of names for in')


class AssigneeIs(Part):
    field: Literal['assignee']
    op: Is
    value: UserRef | None = Field(description='An active agent; null: nobody')


class TimeInStatus(Part):
    field: Literal['time_in_status']
    op: Literal['longer_than']
    value: Whole = Field(description=f'Seconds, 1 to {MAX_SECONDS}; only in a time_in_status rule, which needs one')


Condition = Annotated[QueueIs | ChannelIs | CustomerIs | TelegramChatIs | TitleContains | StatusIs | AssigneeIs
                      | TimeInStatus, Field(discriminator='field')]


class Assign(Part):
    type: Literal['assign']
    user: UserRef = Field(description='An active agent or admin')


class AssignRoundRobin(Part):
    type: Literal['assign_round_robin']
    users: list[UserRef] = Field(min_length=1, max_length=50, description='Active agents; the least loaded gets it')


class SetStatus(Part):
    type: Literal['set_status']
    status: Status = Field(description=f'A status name, or {NEXT} for the next one the workflow allows')


class Note(Part):
    type: Literal['note']
    text: str = Field(max_length=2 * NOTE_MAX, description=f'An internal note: more than spaces, at most {NOTE_MAX} '
                                                           'characters')


class Email(Part):
    type: Literal['email']
    to: str = Field(max_length=1000, description='author, assignee, or an email address')


class Slack(Part):
    type: Literal['slack']


Action = Annotated[Assign | AssignRoundRobin | SetStatus | Note | Email | Slack, Field(discriminator='type')]
TELEGRAM_RULE = {'name': 'Telegram chat 1234567 to agent.x', 'trigger': 'request.created',
                 'conditions': [{'field': 'telegram_chat', 'op': 'is', 'value': '1234567'}],
                 'actions': [{'type': 'assign', 'user': 'agent.x'}]}


class RuleIn(Input):
    """A new rule: when it runs, what must hold (all of it), and what it does in order."""

    model_config = {'json_schema_extra': {'examples': [TELEGRAM_RULE]}}
    name: Name
    trigger: Trigger = Field(description='time_in_status: a request stays in a status longer than its duration')
    conditions: list[Condition] = Field([], max_length=MAX_ROWS)
    actions: list[Action] = Field(min_length=1, max_length=MAX_ROWS)
    enabled: StrictBool = True

    def draft(self) -> RuleDraft:
        return RuleDraft(self.name, self.trigger, stored(self.conditions), stored(self.actions), self.enabled)


class RulePatch(Input):
    """The parts to change; the others stay as they are."""

    model_config = {'json_schema_extra': {'examples': [{'name': 'Telegram chat 1234567 to agent.y',
                                                        'actions': [{'type': 'assign', 'user': 'agent.y'}]}]}}
    name: Name = None  # type: ignore[assignment]  # left out: unchanged (null is no name, and refused)
    trigger: Trigger = None  # type: ignore[assignment]
    conditions: list[Condition] = Field(None, max_length=MAX_ROWS)  # type: ignore[assignment]
    actions: list[Action] = Field(None, min_length=1, max_length=MAX_ROWS)  # type: ignore[assignment]
    enabled: StrictBool = None  # type: ignore[assignment]

    def changes(self) -> dict[str, Any]:
        """The parts given, as the domain's `change` takes them."""
        given = {key: getattr(self, key) for key in self.model_fields_set}
        for key in ('conditions', 'actions'):
            if key in given:
                given[key] = stored(given[key])
        return given


class RuleOrderIn(Input):
    model_config = {'json_schema_extra': {'examples': [{'rule_ids': [3, 1, 2]}]}}
    rule_ids: list[Id] = Field(max_length=500, description='Every rule id once, in the order they should run')


class UserRefOut(BaseModel):
    id: int
    username: str | None = Field(description='null: no such user any more')


class ConditionOut(BaseModel):
    field: str = Field(examples=['telegram_chat'])
    op: str = Field(examples=['is'])
    value: UserRefOut | int | str | list[str] | None = Field(description='customer and assignee: the user')


class ActionOut(BaseModel):
    type: str = Field(examples=['assign'])
    user: UserRefOut | None = Field(None, description='assign')
    users: list[UserRefOut] | None = Field(None, description='assign_round_robin')
    status: str | None = Field(None, description='set_status')
    text: str | None = Field(None, description='note')
    to: str | None = Field(None, description='email')


class RuleOut(BaseModel):
    model_config = {'json_schema_extra': {'examples': [{
        'id': 7, 'name': TELEGRAM_RULE['name'], 'trigger': 'request.created', 'enabled': True, 'position': 1,
        'conditions': TELEGRAM_RULE['conditions'], 'actions': [{'type': 'assign', 'user': {'id': 5,
                                                                                         'username': 'agent.x'}}],
        'created_at': '2026-01-05T09:30:00Z', 'updated_at': '2026-01-05T09:30:00Z'}]}}
    id: int
    name: str
    trigger: str
    enabled: bool
    position: int = Field(description='Rules run by increasing position')
    conditions: list[ConditionOut]
    actions: list[ActionOut]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, rule: RuleRow, usernames: dict[int, str]) -> RuleOut:
        def ref(user_id: Any) -> UserRefOut | None:
            return None if user_id is None else UserRefOut(id=user_id, username=usernames.get(user_id))

        conditions = [ConditionOut(field=c['field'], op=c['op'], value=ref(c['value'])
                                   if c['field'] in ('customer', 'assignee') else c['value']) for c in rule.conditions]
        actions = []
        for action in rule.actions:
            shown = {key: value for key, value in action.items() if key not in ('user_id', 'user_ids')}
            if 'user_id' in action:
                shown['user'] = ref(action['user_id'])
            if 'user_ids' in action:
                shown['users'] = [ref(user_id) for user_id in action['user_ids']]
            actions.append(ActionOut(**shown))
        return cls(id=rule.id, name=rule.name, trigger=rule.trigger, enabled=rule.enabled, position=rule.position,
                   conditions=conditions, actions=actions, created_at=rule.created_at, updated_at=rule.updated_at)

    @classmethod
    def only(cls, view: RulesView) -> RuleOut:
        return cls.of(view.rules[0], view.usernames)


def stored(items: list[Condition] | list[Action]) -> list[dict[str, Any]]:
    """Conditions or actions as the domain takes them: users as `user_id` / `user_ids`, by id or username."""
    rows = []
    for item in items:
        row = item.model_dump()
        if 'user' in row:
            row['user_id'] = row.pop('user')
        if 'users' in row:
            row['user_ids'] = row.pop('users')
        rows.append(row)
    return rows
