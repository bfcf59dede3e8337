"""Schemas for what admins manage: queues, workflows and their statuses, users."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool

from domain.queues.checks import NAME_MAX, STATUS_MAX
from domain.queues.service import WorkflowSummary

from .schemas import NOT_BLANK, USERNAME, Id, Input, Output, Role, example
from .schemas_requests import CLOSED, IN_PROGRESS, OPEN, Kind, StatusOut

Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX, pattern=NOT_BLANK, description='More than spaces')]
Visibility = Literal['public', 'private']  # domain.queues.checks.VISIBILITIES


class QueueOut(Output):
    model_config = example({'id': 4, 'name': 'HR', 'visibility': 'private', 'workflow_id': 1, 'workflow': 'Ticket',
                            'one_open_per_author': False})
    id: int
    name: str
    visibility: Visibility = Field(description='public: every signed-in user reads and responds; '
                                               'private: author and staff')
    workflow_id: int
    workflow: str
    one_open_per_author: bool


class QueueIn(Input):
    model_config = example({'name': 'HR', 'visibility': 'private', 'workflow_id': 1})
    name: Name
    visibility: Visibility = Field(examples=['private'])
    workflow_id: Id


class Transition(Input):
    from_status_id: Id
    to_status_id: Id


class WorkflowOut(Output):
    model_config = example({'id': 1, 'name': 'Ticket', 'statuses': [OPEN, IN_PROGRESS, CLOSED], 'transitions': [
        {'from_status_id': 1, 'to_status_id': 2}, {'from_status_id': 1, 'to_status_id': 3},
        {'from_status_id': 2, 'to_status_id': 1}, {'from_status_id': 2, 'to_status_id': 3},
        {'from_status_id': 3, 'to_status_id': 1}]})
    id: int
    name: str
    statuses: list[StatusOut] = Field(description='In order; requests start in the first')
    transitions: list[Transition]

    @classmethod
    def of(cls, workflow: WorkflowSummary) -> WorkflowOut:
        return cls(id=workflow.id, name=workflow.name,
                   statuses=[StatusOut.model_validate(status) for status in workflow.statuses],
                   transitions=[Transition(from_status_id=source, to_status_id=target)
                                for source, target in sorted(workflow.transitions)])


class StatusIn(Input):
    model_config = example({'name': 'Waiting', 'kind': 'active'})
    name: Name
    kind: Kind = Field(examples=['open'])


class WorkflowIn(Input):
    model_config = example({'name': 'Hardware', 'statuses': [{'name': 'New', 'kind': 'open'},
                                                             {'name': 'Ordered', 'kind': 'active'},
                                                             {'name': 'Delivered', 'kind': 'closed'}]})
    name: Name
    statuses: list[StatusIn] = Field(min_length=1, description=f'In order; at least one and at most {STATUS_MAX} '
                                                               '(more is a 422 naming the limit)')


class StatusRenameIn(Input):
    model_config = example({'name': 'Waiting for parts'})
    name: Name


class StatusOrderIn(Input):
    model_config = example({'status_ids': [1, 2, 3]})
    status_ids: list[Id]


class TransitionsIn(Input):
    model_config = example({'transitions': [{'from_status_id': 1, 'to_status_id': 2},
                                            {'from_status_id': 2, 'to_status_id': 3}]})
    transitions: list[Transition]


class MovedOut(Output):
    model_config = example({'moved': 3})
    moved: int = Field(description='How many requests moved to the other status before it was deleted')


class UserIn(Input):
    model_config = example({'username': 'agent.x', 'password': 'agent-password', 'role': 'agent'})
    username: str = Field(pattern=USERNAME, description='3-32 letters, digits, dots, dashes or underscores')
    password: str = Field(min_length=8, max_length=72, description='8 characters to 72 bytes (UTF-8)')
    role: Role = Field(examples=['agent'])


class RoleIn(Input):
    model_config = example({'role': 'agent'})
    role: Role = Field(examples=['agent'])


class ActiveIn(Input):
    model_config = example({'active': True})  # false deactivates: every session and token of theirs ends
    active: StrictBool  # a JSON 0 or "no" is no boolean, as the schema says
