"""What a page shows instead of itself: not found, sign in first, or no access — never whether a record exists."""

from urllib.parse import quote

from nicegui import ui

from domain.errors import NotSignedIn, PermissionDenied

from ..i18n import t
from ..tab import Tab


def not_found(message: str | None = None) -> None:
    with notice(t('Not found'), 'not-found'):
        ui.label(message or t('This page does not exist.'))
        ui.link(t('Home'), '/').mark('home-link')


def refused(tab: Tab, error: PermissionDenied) -> None:
    """A page only some may open: a visitor is asked to sign in, anyone else is told they may not (not "not found",
    which would be a lie, and nothing about whether the record asked for exists)."""
    if tab.user is None or isinstance(error, NotSignedIn):
        sign_in_needed()
    else:
        no_access()


def sign_in_needed() -> None:
    with notice(t('Sign in'), 'sign-in-needed'):
        ui.label(t('Sign in to see this page.'))
        ui.link(t('Sign in'), f'/login?redirect_to={quote(current_path(), safe="")}').mark('sign-in-link')


def no_access() -> None:
    with notice(t('No access'), 'no-access'):
        ui.label(t('You do not have access to this page.'))
        ui.link(t('Home'), '/').mark('home-link')


def notice(title: str, marker: str) -> ui.column:
    column = ui.column().classes('items-start gap-2 mt-8').mark(marker)
    with column:
        ui.label(title).classes('text-h5').props('role=heading aria-level=1')
    return column


def current_path() -> str:
    """The sub page's path and query, where signing in leads back to."""
    return ui.context.client.sub_pages_router.current_path
