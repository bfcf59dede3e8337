"""A list row as one element: its cells written as HTML, every text in them escaped here.

A row built from elements (a link, a status chip, labels, each in a cell) was about nine elements, and an element
costs each open tab about 4 kB on the server and an entry in every update: a board of 25 rows held some 225
elements per tab (bench/live_load.py scenario 3, 1,000 tabs). As one `ui.html` a row is one element; a change
rewrites its HTML. Links stay plain `<a href>`, which NiceGUI's sub pages follow without a reload. Nothing a user
typed reaches the page unescaped: titles and names go through `html.escape`, ids are integers.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from nicegui import ui

from patches.displayed_texts import ShowsTexts

from ..i18n import language
from ..when import minute, zone_name
from .status_chip import COLORS

R = TypeVar('R', bound=Hashable)
RowT = TypeVar('RowT', bound='Row')
Cells = tuple[str, tuple[str, ...]]  # a row's HTML, and the texts shown in it

BADGE = 'q-badge flex inline items-center no-wrap q-badge--single-line text-white text-sm px-2 py-1'


def cell(content: str, classes: str = '') -> str:
    """A cell of already escaped HTML."""
    return f'<div role="cell" class="{classes}">{content}</div>'


def text_cell(text: str, classes: str = '') -> str:
    return cell(html.escape(text), classes)


def link(text: str, href: str, classes: str = '') -> str:
    return f'<a href="{html.escape(href)}" class="nicegui-link {classes}">{html.escape(text)}</a>'


def badge(text: str, kind: str) -> str:
    """Looks like status_chip's q-badge; `data-status` names the status for those who read the markup."""
    return (f'<span class="{BADGE} bg-{COLORS.get(kind, "primary")}" data-status="{html.escape(text)}">'
            f'{html.escape(text)}</span>')


def rendered(render: Callable[[R], Cells], row: R) -> Cells:
    """`render(row)` in the tab's language, written once for every tab that shows the same row.

    Fifty agents' inboxes refreshing together show the same changed rows, so each row's HTML is built once per
    row and language rather than once per tab (in scenario 2 the inbox rows' refresh was the largest share).
    """
    return _rendered(render, row, language(), zone_name(), minute())


@lru_cache(maxsize=4096)
def _rendered(render: Callable[[R], Cells], row: R, _language: str, _zone: str, _minute: int) -> Cells:
    """The language, the time zone and the minute are part of the key: rows show times as "5 min ago"."""
    return render(row)


def joined(cells: list[str], texts: tuple[str, ...]) -> Cells:
    return ''.join(cells), texts


class Row(Protocol, Hashable):
    @property
    def id(self) -> int: ...


class HtmlRow(ShowsTexts, ui.html, Generic[RowT]):
    """One row, marked `MARKER-<id>`: `cells` gives its HTML and the texts a test (or a screen reader) finds in
    it. `update_row` shows a newer version of the row, or another row (see keyed_rows.sync_rows)."""

    MARKER: ClassVar[str]
    CLASSES: ClassVar[str]

    def __init__(self, row: RowT) -> None:
        super().__init__('', sanitize=False)  # escaped above, and no script can come of it
        self.classes(self.CLASSES).props('role=row')
        self.row = row
        self.texts: tuple[str, ...] = ()
        self._marked: int | None = None
        self._show()

    @staticmethod
    def cells(row: Any) -> Cells:
        raise NotImplementedError

    def update_row(self, row: RowT) -> None:
        if row is not self.row and row != self.row:  # unchanged rows come back as the same object, as a rule
            self.row = row
            self._show()

    def _show(self) -> None:
        if self._marked != self.row.id:
            self._marked = self.row.id
            self.mark(f'{self.MARKER}-{self.row.id}')
        content, self.texts = rendered(type(self).cells, self.row)
        self.set_content(content)

    def shown_texts(self) -> list[str]:
        return [self.content, *self.texts]
