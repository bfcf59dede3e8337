"""Workflow transitions: only the allowed steps, named in the error when refused."""

from __future__ import annotations

import pytest

from domain.errors import InvalidTransition, NotFound
from domain.queues.workflow import Workflow
from storage.rows import StatusRow

OPEN, PROGRESS, CLOSED = StatusRow(1, 'Open', 'open', 0), StatusRow(2, 'In progress', 'active', 1), \
    StatusRow(3, 'Closed', 'closed', 2)
TICKET = Workflow((OPEN, PROGRESS, CLOSED), frozenset({(1, 2), (1, 3), (2, 1), (2, 3), (3, 1)}))


def test_the_first_status_is_the_initial_one() -> None:
    assert TICKET.initial == OPEN


def test_next_statuses_follow_workflow_order() -> None:
    assert TICKET.next_statuses(1) == [PROGRESS, CLOSED]
    assert TICKET.next_statuses(3) == [OPEN]


def test_an_allowed_transition_returns_the_target() -> None:
    assert TICKET.check_transition(3, 1) == OPEN


def test_a_forbidden_transition_names_both_statuses() -> None:
    with pytest.raises(InvalidTransition) as refused:
        TICKET.check_transition(3, 2)
    assert refused.value.message == 'A request cannot move from "Closed" to "In progress".'
    assert refused.value.params == {'source': 'Closed', 'target': 'In progress'}


def test_moving_to_the_same_status_is_not_a_transition() -> None:
    with pytest.raises(InvalidTransition):
        TICKET.check_transition(1, 1)


def test_an_unknown_status_is_not_found() -> None:
    with pytest.raises(NotFound):
        TICKET.status(99)
