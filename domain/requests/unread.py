"""Where a user's unread messages are, so the header's badge can count them and lead to them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.permissions import ORDERS

SUPPORT = 'Support'  # the support chat's queue (domain.tickets.support names it too; importing it here would loop)


@dataclass(frozen=True)
class Unread:
    total: int = 0
    support: int = 0  # in the customer's support chat (/support)
    orders: int = 0  # in conversations with the shop about orders
    order_id: int | None = None  # one of those orders, to lead to

    @classmethod
    def of(cls, places: Iterable[tuple[str, bool, int, int]]) -> Unread:
        """From storage's (queue name, with staff?, a request id, unread count) rows."""
        total = support = orders = 0
        order_id: int | None = None
        for queue, with_staff, request_id, unread in places:
            total += unread
            if with_staff and queue == SUPPORT:
                support += unread
            elif with_staff and queue == ORDERS:
                orders += unread
                order_id = request_id
        return cls(total, support, orders, order_id)
