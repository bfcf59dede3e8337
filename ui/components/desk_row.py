"""One ticket in the desk's list: customer, age, title, last message, status and assignee, as one element.

Like the inbox's table row (see html_cells) it is a single `ui.html`, so a row costs each open tab no more than the
table's did. The title is the link; a CSS rule in desk_layout stretches it over the whole card, so the whole card
is one large target for a finger, while the link's name stays the title for a screen reader.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from domain.requests.views import TicketRow

from ..i18n import t
from ..when import exact, local
from .html_cells import Cells, HtmlRow, badge, rendered

MINUTE, HOUR, DAY = 60, 3600, 86400


def since(moment: datetime, now: datetime) -> str:
    """How long ago, as a list shows it: "now", "5 min", "3 h", "2 d", then the date."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < MINUTE:
        return t('now')
    if seconds < HOUR:
        return t('{n} min', n=seconds // MINUTE)
    if seconds < DAY:
        return t('{n} h', n=seconds // HOUR)
    if seconds < 7 * DAY:
        return t('{n} d', n=seconds // DAY)
    return f'{local(moment):%Y-%m-%d}'


def unread_dot() -> str:
    """Quasar's q-icon of size xs, as ui.icon('circle', size='xs', color='primary') draws it."""
    label = html.escape(t('Unread'), quote=True)
    return (f'<i class="q-icon notranslate material-icons text-primary" style="font-size: 18px" role="img" '
            f'aria-label="{label}">circle</i>')


def ticket_path(ticket_id: int) -> str:
    return f'/inbox/{ticket_id}'


class DeskRowView(HtmlRow[TicketRow]):
    MARKER = 'desk-row'
    CLASSES = 'sb-desk-row relative w-full px-3 py-2 border-b cursor-pointer'

    def __init__(self, row: TicketRow) -> None:
        self.age = ''
        super().__init__(row)
        self.props(remove='role').props('role=listitem')

    @staticmethod
    def cells(shown: tuple[TicketRow, str]) -> Cells:  # type: ignore[override]
        row, age = shown
        assignee = row.assignee or t('Unassigned')
        weight = 'font-bold' if row.staff_unread else 'font-medium'
        dot = unread_dot() if row.staff_unread else ''
        exactly = html.escape(exact(row.updated_at), quote=True)
        content = (
            f'<div class="flex items-center gap-1 min-w-0">{dot}'
            f'<span class="truncate text-body2 {weight}">{html.escape(row.customer)}</span>'
            f'<span class="ml-auto shrink-0 text-caption text-grey-7" title="{exactly}">'
            f'{html.escape(age)}</span></div>'
            f'<a href="{ticket_path(row.id)}" class="sb-desk-link block truncate text-body2 {weight}">'
            f'{html.escape(row.title)}</a>'
            f'<div class="truncate text-caption text-grey-7">{html.escape(row.preview) or "&nbsp;"}</div>'
            f'<div class="flex items-center gap-2 mt-1 min-w-0">{badge(t(row.status), row.status_kind)}'
            f'<span class="truncate text-caption text-grey-7">{html.escape(assignee)}</span></div>')
        return content, (row.title, row.customer, row.preview, t(row.status), assignee, age)

    def _show(self, now: datetime | None = None) -> None:
        """As HtmlRow shows a row, with its age: rows of the same age and language share one rendering."""
        if self._marked != self.row.id:
            self._marked = self.row.id
            self.mark(f'{self.MARKER}-{self.row.id}')
        self.age = since(self.row.updated_at, now or datetime.now(UTC))
        content, self.texts = rendered(type(self).cells, (self.row, self.age))  # type: ignore[arg-type]
        self.set_content(content)

    def tick(self, now: datetime) -> None:
        """Time passed: rewrite the row only when the age it shows has changed."""
        if since(self.row.updated_at, now) != self.age:
            self._show(now)
