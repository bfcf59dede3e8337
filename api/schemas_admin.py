"""Schemas for what admins manage: queues, workflows and their statuses, users."""

from __future__ import annotations

from pydantic import Field

from domain.queue_checks import STATUS_MAX
from domain.queues import WorkflowSummary

from .schemas import Id, Input, Output
from .schemas_requests import StatusOut


class QueueOut(Output):
    id: int
    name: str
    visibility: str = Field(description='public: every signed-in user reads and responds; private: author and staff')
    workflow_id: int
    workflow: str
    one_open_per_author: bool


class QueueIn(Input):
    name: str
    visibility: str = Field(examples=['private'], description='public or private')
    workflow_id: Id


class Transition(Input):
    from_status_id: Id
    to_status_id: Id


class WorkflowOut(Output):
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
    name: str
    kind: str = Field(examples=['open'], description='open, active or closed')


class WorkflowIn(Input):
    name: str
    statuses: list[StatusIn] = Field(description=f'In order; at least one and at most {STATUS_MAX} (more is a 422 '
                                                 'naming the limit)')


class StatusRenameIn(Input):
    name: str


class StatusOrderIn(Input):
    status_ids: list[Id]


class TransitionsIn(Input):
    transitions: list[Transition]


class MovedOut(Output):
    moved: int = Field(description='How many requests moved to the other status before it was deleted')


class UserIn(Input):
    username: str
    password: str
    role: str = Field(examples=['agent'], description='customer, agent or admin')


class RoleIn(Input):
    role: str = Field(examples=['agent'], description='customer, agent or admin')


class ActiveIn(Input):
    active: bool
