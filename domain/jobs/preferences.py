"""A user's notification choices: the address notification email goes to, and which events send one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from domain import access
from domain.errors import InvalidInput
from domain.text import storable
from storage.unit_of_work import UnitOfWorkFactory

# Event kinds a user may have emailed to them, in the order the profile lists them.
NOTIFY_EVENTS = ('status.changed', 'assigned')
EMAIL_MAX = 254  # what SMTP carries (RFC 5321) and the column holds
# One address, nothing a mail header could read as a second one or as a display name.
_LOCAL = r'[^@\s<>()\[\],;:"\\]{1,64}'
_LABEL = r'[^@\s<>()\[\],;:"\\.]+'
EMAIL = re.compile(rf'{_LOCAL}@(?:{_LABEL}\.)+{_LABEL}')


@dataclass(frozen=True)
class NotificationChoices:
    email: str | None
    events: tuple[str, ...]


class PreferenceService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow

    async def notifications(self, *, actor_id: int | None) -> NotificationChoices:
        async with self.uow() as uow:
            actor = await access.signed_in(uow, actor_id)
            [contact] = await uow.users.contacts([actor.id])
        return NotificationChoices(contact.email, _known(contact.notify_events))

    async def set_notifications(self, *, actor_id: int | None, email: str,
                                events: Iterable[str]) -> NotificationChoices:
        """Keep the address (empty: none) and the chosen event kinds; ticking any needs an address."""
        chosen = set(events)
        unknown = sorted(chosen - set(NOTIFY_EVENTS))
        if unknown:
            raise InvalidInput('Unknown kind of notification: {kind}.', field='events', kind=unknown[0])
        address = check_email(email)
        if chosen and address is None:
            raise InvalidInput('Enter the email address notifications should go to.', field='email')
        choices = NotificationChoices(address, _known(chosen))
        async with self.uow(write=True) as uow:
            actor = await access.signed_in(uow, actor_id)
            await uow.users.set_contact(actor.id, email=choices.email, notify_events=list(choices.events))
            await uow.commit()
        return choices


def check_email(email: str) -> str | None:
    """The address as it will be kept, or None for an empty one; a clear message for anything else."""
    address = storable(email).strip()
    if not address:
        return None
    if len(address) > EMAIL_MAX:
        raise InvalidInput('An email address has at most {count} characters.', field='email', count=EMAIL_MAX)
    if not EMAIL.fullmatch(address):
        raise InvalidInput('This is not an email address; it looks like name@example.com.', field='email')
    return address


def _known(events: Iterable[str]) -> tuple[str, ...]:
    chosen = set(events)
    return tuple(kind for kind in NOTIFY_EVENTS if kind in chosen)
