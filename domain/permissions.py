"""Who may do what. Every service asks here; pages only hide what a service would refuse anyway."""

from __future__ import annotations

from storage.rows import RequestRecord, UserRow

ADMIN = 'admin'
STAFF_ROLES = frozenset({'agent', ADMIN})
ROLES = ('customer', 'agent', 'admin')
ORDERS = 'Orders'  # the shop's queue: payment and shipping are the shop's to record, not the customer's


def is_staff(user: UserRow | None) -> bool:
    return user is not None and user.role in STAFF_ROLES


def is_admin(user: UserRow | None) -> bool:
    """Admins also change queues, workflows, rules and users, and read the audit log and the jobs."""
    return user is not None and user.role == ADMIN


def can_read(user: UserRow | None, request: RequestRecord) -> bool:
    """Public requests are open to everyone, visitors included; private ones to their author and staff."""
    if request.visibility == 'public':
        return True
    return user is not None and (user.id == request.author_id or is_staff(user))


def can_respond(user: UserRow | None, request: RequestRecord) -> bool:
    """Anyone signed in but the author starts a conversation on a public request."""
    return (user is not None and user.is_active and request.visibility == 'public'
            and user.id != request.author_id and request.closed_at is None)


def can_take_part(user: UserRow | None, request: RequestRecord, counterpart_id: int | None) -> bool:
    """The request's author and the conversation's counterpart (or staff, for the staff conversation)."""
    if user is None or not user.is_active:
        return False
    if user.id in (request.author_id, counterpart_id):
        return True
    return counterpart_id is None and is_staff(user)


def can_read_conversation(user: UserRow | None, request: RequestRecord, counterpart_id: int | None) -> bool:
    return can_take_part(user, request, counterpart_id) or (is_staff(user) and can_read(user, request))


def shows_conversation(user: UserRow | None, message_count: int) -> bool:
    """A conversation with nothing but internal notes (count 0) exists for staff only."""
    return message_count > 0 or is_staff(user)


def can_change_status(user: UserRow | None, request: RequestRecord) -> bool:
    if request.queue == ORDERS:
        return is_staff(user) and user is not None and user.is_active
    return user is not None and user.is_active and (user.id == request.author_id or is_staff(user))
