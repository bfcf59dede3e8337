"""Staff with a tab of the desk open count as online for the chat widgets (domain/widgets/presence.py)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import Client

from domain import permissions

from .tab import Tab


def report_staff(tab: Tab, client: Client) -> None:
    """From the tab's connection until NiceGUI deletes its client (a closed tab counts for the reconnect timeout
    longer); a sign-in or sign-out in the tab counts again. A page fetched without a socket never counts."""
    leave: list[Callable[[], None]] = []

    def count() -> None:
        old = list(leave)
        leave.clear()
        if client.has_socket_connection and permissions.is_staff(tab.user):
            assert tab.user is not None
            leave.append(tab.desk.presence.arrive(tab.user.id, staff=True))
        for left in old:  # after arriving again: a reconnect never shows the widgets "nobody online" for a moment
            left()

    def gone() -> None:
        while leave:
            leave.pop()()

    client.on_connect(count)
    tab.account_changed.append(count)
    client.on_delete(gone)
