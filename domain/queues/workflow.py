"""A queue's workflow: ordered statuses with kinds, and the transitions allowed between them."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import InvalidTransition, NotFound
from storage.rows import StatusRow


@dataclass(frozen=True)
class Workflow:
    statuses: tuple[StatusRow, ...]
    transitions: frozenset[tuple[int, int]]

    @property
    def initial(self) -> StatusRow:
        return self.statuses[0]

    def status(self, status_id: int) -> StatusRow:
        for status in self.statuses:
            if status.id == status_id:
                return status
        raise NotFound('This status does not exist in the workflow.', field='status')

    def next_statuses(self, status_id: int) -> list[StatusRow]:
        """Statuses reachable in one step, in workflow order."""
        return [status for status in self.statuses if (status_id, status.id) in self.transitions]

    def check_transition(self, from_id: int, to_id: int) -> StatusRow:
        target = self.status(to_id)
        if (from_id, to_id) not in self.transitions:
            source = self.status(from_id)
            raise InvalidTransition('A request cannot move from "{source}" to "{target}".', field='status',
                                    source=source.name, target=target.name)
        return target
