"""The rules a queue or workflow change must pass before it reaches the database."""

from __future__ import annotations

from domain.errors import Conflict, InvalidInput
from domain.text import storable
from storage.queue_admin import QueueSummary

NAME_MAX = 64
# A help desk's workflow has a handful of statuses; each one costs every status picker and the admin's editor a
# row, so the cap keeps those quick (5,000 statuses once froze the process for minutes).
STATUS_MAX = 30
VISIBILITIES = ('public', 'private')
KINDS = ('open', 'active', 'closed')


def checked_name(name: str, *, field: str = 'name') -> str:
    name = storable(name or '').strip()
    if not name:
        raise InvalidInput('Enter a name.', field=field)
    if len(name) > NAME_MAX:
        raise InvalidInput('At most {max} characters (now {length}).', field=field, max=NAME_MAX, length=len(name))
    return name


def checked_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput('Choose open, active or closed.', field='kind')
    return kind


def check_status_count(count: int, *, field: str = 'status') -> None:
    """Refuse a workflow of more than STATUS_MAX statuses; one stored before the cap keeps what it has."""
    if count > STATUS_MAX:
        raise InvalidInput('A workflow has at most {max} statuses.', field=field, max=STATUS_MAX)


def check_visibility(visibility: str) -> None:
    if visibility not in VISIBILITIES:
        raise InvalidInput('Choose public or private.', field='visibility')


def check_unique_queue(queues: list[QueueSummary], name: str, queue_id: int | None = None) -> None:
    # Case-blind: "support" beside "Support" would only confuse the people choosing between them.
    if any(q.name.casefold() == name.casefold() and q.id != queue_id for q in queues):
        raise queue_exists(name)


def check_unique_statuses(names: list[str], new: str | None = None) -> None:
    seen: set[str] = set()
    for name in [*names, *([new] if new is not None else [])]:
        if name.casefold() in seen:
            raise status_exists(name)
        seen.add(name.casefold())


def queue_exists(name: str) -> Conflict:
    return Conflict('A queue named "{name}" exists already.', field='name', name=name)


def workflow_exists(name: str) -> Conflict:
    return Conflict('A workflow named "{name}" exists already.', field='name', name=name)


def status_exists(name: str) -> Conflict:
    return Conflict('This workflow has a status named "{name}" already.', field='name', name=name)
