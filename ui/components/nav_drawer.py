"""The left drawer: the pages the signed-in user may open, with the inbox's live count for staff.

From 1024 px wide the drawer stays beside the page; below, Quasar lays it over the page, closed, and the header's menu
button opens it. Opened that way it closes again once a page is chosen.
"""

from __future__ import annotations

from nicegui import ui

from domain import permissions
from domain.errors import PermissionDenied
from domain.events import RequestChanged, RequestCreated

from ..i18n import t
from ..pacer import Pacer
from ..tab import Tab
from ..weakly import weakly
from .nav_links import CSS, Entry, NavLinks

# Every agent's drawer in this process re-counts together, once a second at most: a count nobody reads faster, and
# one shared read (TicketService.waiting) however many agents are signed in.
PACE = Pacer(1.0)
INBOX = '/inbox'


def entries(tab: Tab, waiting: int = 0) -> list[Entry]:
    """What the user may open: the board for everyone; the support chat for customers, the inbox (and admin pages)
    for staff. The services refuse the rest anyway; this only keeps a page out of sight that would refuse."""
    user = tab.user
    shown = [Entry('view_list', t('Requests'), '/requests'), Entry('forum', t('My responses'), '/responses')]
    if user is not None:
        shown.append(Entry('shopping_cart', t('Orders'), '/orders'))
    if permissions.is_staff(user):
        shown += [Entry('inbox', t('Inbox'), INBOX, waiting, group=1),
                  Entry('account_tree', t('Queues'), '/admin/queues', group=1),  # agents read them, admins edit
                  Entry('rule', t('Rules'), '/rules', group=1)]  # agents read them, admins edit
    else:
        shown.append(Entry('support_agent', t('Support'), '/support'))
    if permissions.is_admin(user):
        shown += [Entry('group', t('Users'), '/admin/users', group=2),
                  Entry('work_history', t('Jobs'), '/admin/jobs', group=2),
                  Entry('history', t('Audit log'), '/admin/audit', group=2),
                  Entry('webhook', t('Webhooks'), '/admin/webhooks', group=2),
                  Entry('widgets', t('Widgets'), '/admin/widgets', group=2)]
    return shown


class NavDrawer:
    """The drawer and what is in it; `toggle` is the header's menu button."""

    def __init__(self, tab: Tab) -> None:
        self.tab = tab
        self.opened_by_menu = False
        self._counting = False  # the live count is watched (once a staff user was signed in here)
        ui.add_css(CSS)
        # Closed, unless Quasar finds the window wide enough (show-if-above), which it then tells the server. NiceGUI's
        # own "open if wide" (value None) asks the browser with a script on connect instead: a round trip per tab that
        # logged an error when the browser took over a second (a busy machine, a page left at once for a sign-in).
        with ui.left_drawer(value=False, bordered=True).props('show-if-above width=232 breakpoint=1023') \
                .classes('p-0') as self.drawer:
            self.links = NavLinks(t('Navigation'))
        self.drawer.on_value_change(self._shown)
        self.router = tab.live.client.sub_pages_router
        # The router lives as long as the tab's client, which the tab holds: held strongly, this would be a cycle
        # that only the collector frees (patches.gc_policy keeps it rare; tests/patches/test_teardown.py).
        follow = weakly(self._path_changed)
        self.router.on_path_changed(lambda path: (method := follow()) is not None and method(path))

    async def build(self) -> None:
        await self._show()
        self.tab.account_changed.append(self._show)  # the tab lets go of it when the page closes

    async def _show(self) -> None:
        """The entries for who is signed in now; for staff, with the inbox's count, kept live. The links are
        shown again in place after a sign-in or sign-out: no element around them to build again on every tab."""
        links = self.links
        with links:  # the tab's context, where its language is: this runs as a task after a sign-in
            links.show(entries(self.tab), current=_path(self.router.current_path))
        if permissions.is_staff(self.tab.user):
            await self._count(links)
            if not self._counting:
                self._counting = True
                self.tab.live.watch(RequestCreated, self._changed, container=links,
                                    resync=lambda: self._count(links), in_page=False)
                self.tab.live.watch(RequestChanged, self._changed, container=links, in_page=False)

    def _changed(self, _event: RequestCreated | RequestChanged) -> None:  # no task per tab: notes a refresh
        if permissions.is_staff(self.tab.user):  # not since a sign-out in this tab
            PACE.request(self.links, lambda: self._count(self.links))

    async def _count(self, links: NavLinks) -> None:
        if links.is_deleted or not permissions.is_staff(self.tab.user):
            return
        try:
            waiting = await self.tab.desk.tickets.waiting(viewer_id=self.tab.user.id)
        except PermissionDenied:  # demoted or deactivated meanwhile: the tab hears of it (SessionsRevoked)
            waiting = 0
        if not links.is_deleted:
            with links:  # a paced round runs outside the page: its language is the tab's
                links.show(entries(self.tab, waiting))

    def toggle(self) -> None:
        """The menu button: shown below 1024 px only, where the drawer lies over the page."""
        self.opened_by_menu = not self.drawer.value
        self.drawer.set_value(self.opened_by_menu)

    def _shown(self) -> None:
        if not self.drawer.value:  # closed by its backdrop, a swipe, or a choice
            self.opened_by_menu = False

    def _path_changed(self, path: str) -> None:
        if not self.links.is_deleted:
            self.links.show(current=_path(path))
        if self.opened_by_menu:  # on a phone: the page chosen takes the screen
            self.drawer.set_value(False)


def _path(path: str) -> str:
    return path.split('?')[0].split('#')[0]
