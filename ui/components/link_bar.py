"""A row of plain links as one element: the header's navigation.

As `ui.link`s the app's name and the pages a user may go to were six elements, on every open tab, each costing the
server some 4 kB per tab. Plain `<a href>`s in one `ui.html` are one; NiceGUI's sub pages follow them without a
reload, as they follow `ui.link`. Texts and addresses are escaped (html_cells.link).
"""

from __future__ import annotations

from nicegui import ui

from patches.displayed_texts import ShowsTexts

from .html_cells import link

Link = tuple[str, str, str]  # text, address, classes


class LinkBar(ShowsTexts, ui.html):
    def __init__(self, label: str) -> None:
        super().__init__('', sanitize=False)  # escaped by html_cells.link
        self.classes('row items-center gap-2').props(f'role=navigation aria-label="{label}"').mark('navigation')
        self.links: list[Link] = []

    def show(self, links: list[Link]) -> None:
        if links != self.links:
            self.links = links
            self.content = ''.join(link(text, href, classes) for text, href, classes in links)

    def href(self, text: str) -> str:
        """Where the link showing `text` leads (a KeyError if none does)."""
        return next(href for shown, href, _classes in self.links if shown == text)

    def shown_texts(self) -> list[str]:
        """The links' texts, not the markup."""
        return [text for text, *_ in self.links]
