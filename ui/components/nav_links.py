"""The drawer's list of pages as one element: an icon, a label and, for the inbox, a count per entry.

As elements (an item, its icon, its label, a badge) the dozen pages an admin may open were some forty elements on
every open tab, each costing the server some 4 kB per tab. Plain `<a href>`s in one `ui.html` are one; NiceGUI's sub
pages follow them without a reload, as they follow `ui.link`. Labels and addresses are escaped here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from nicegui import ui

from patches.displayed_texts import ShowsTexts

CSS = """
.sb-nav { display: flex; flex-direction: column; gap: 2px; padding: 8px; }
.sb-nav a { display: flex; align-items: center; gap: 14px; min-height: 44px; padding: 0 12px; border-radius: 8px;
  color: inherit; text-decoration: none; font-size: 0.95rem; }
.sb-nav a:hover { background: rgba(127, 127, 127, 0.12); }
.sb-nav a:focus-visible { outline: 2px solid var(--q-primary); outline-offset: -2px; }
.sb-nav a[aria-current=page] { background: color-mix(in srgb, var(--q-primary) 16%, transparent);
  color: var(--q-primary); font-weight: 600; }
.body--dark .sb-nav a[aria-current=page] { color: inherit; }
.sb-nav .material-icons { font-size: 22px; opacity: 0.8; }
.sb-nav .sb-nav-label { flex: 1 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.sb-nav .sb-nav-count { min-width: 22px; padding: 1px 7px; border-radius: 11px; text-align: center; font-size: 0.8rem;
  font-weight: 600; color: white; background: var(--q-negative); }
.sb-nav hr { border: 0; border-top: 1px solid rgba(127, 127, 127, 0.25); margin: 6px 4px; }
"""


@dataclass(frozen=True)
class Entry:
    icon: str  # a Material icon's name
    label: str
    path: str
    count: int = 0  # shown as a badge when above 0
    group: int = 0  # a line between groups (everyone's pages, staff pages, admin pages)


class NavLinks(ShowsTexts, ui.html):
    def __init__(self, label: str) -> None:
        super().__init__('', sanitize=False)  # escaped in _entry
        self.classes('sb-nav w-full').props(f'role=navigation aria-label="{html.escape(label)}"').mark('navigation')
        self.entries: list[Entry] = []
        self.current = ''

    def show(self, entries: list[Entry] | None = None, *, current: str | None = None) -> None:
        """Show `entries` (the same as before when None), marking the one for the `current` path."""
        entries = self.entries if entries is None else entries
        current = self.current if current is None else current
        if (entries, current) == (self.entries, self.current):
            return
        self.entries, self.current = entries, current
        shown = self.chosen()
        parts: list[str] = []
        for index, entry in enumerate(entries):
            if index and entry.group != entries[index - 1].group:
                parts.append('<hr>')
            parts.append(_entry(entry, entry == shown))
        self.content = ''.join(parts)

    def chosen(self) -> Entry | None:
        """The entry for the current path: the longest whose path it is or begins with (/inbox/5 is the inbox's)."""
        matching = [entry for entry in self.entries
                    if self.current == entry.path or self.current.startswith(entry.path.rstrip('/') + '/')]
        return max(matching, key=lambda entry: len(entry.path), default=None)

    def href(self, text: str) -> str:
        """Where the entry labelled `text` leads (a KeyError if none does)."""
        found = next((entry.path for entry in self.entries if entry.label == text), None)
        if found is None:
            raise KeyError(text)
        return found

    def count(self, path: str) -> int:
        return next((entry.count for entry in self.entries if entry.path == path), 0)

    def shown_texts(self) -> list[str]:
        """The labels, and the counts shown beside them."""
        return [text for entry in self.entries for text in (entry.label, *_count_text(entry))]


def _count_text(entry: Entry) -> tuple[str, ...]:
    return (f'{entry.count}' if entry.count < 100 else '99+',) if entry.count > 0 else ()


def _entry(entry: Entry, current: bool) -> str:
    """The count describes the link rather than naming it: a reader hears "Inbox", then the count."""
    count, described = '', ''
    for text in _count_text(entry):
        count_id = f'sb-nav-count{entry.path.replace("/", "-")}'
        count = f'<span class="sb-nav-count" id="{count_id}" aria-hidden="true">{text}</span>'
        described = f' aria-describedby="{count_id}"'
    mark = ' aria-current="page"' if current else ''
    return (f'<a href="{html.escape(entry.path)}" class="nicegui-link"{mark}{described}>'
            f'<i class="q-icon notranslate material-icons" aria-hidden="true">{html.escape(entry.icon)}</i>'
            f'<span class="sb-nav-label">{html.escape(entry.label)}</span>{count}</a>')
