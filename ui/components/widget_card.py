"""One widget on Admin → Widgets: its settings, the snippets to paste, a live preview, and its actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from domain.errors import DomainError
from domain.widgets.snippet import snippets
from storage.widgets import WidgetRow

from ..i18n import error_text, t
from ..tab import Tab
from .facts import Facts
from .widget_dialog import mode_names

Edit = Callable[['WidgetCard'], Awaitable[None]]


class WidgetCard(ui.card):
    def __init__(self, tab: Tab, widget: WidgetRow, *, desk_url: str, queue_names: dict[int, str],
                 on_edit: Edit, secret: str) -> None:
        super().__init__()
        self.classes('w-full gap-2').mark(f'widget-{widget.id}')
        self.tab = tab
        self.desk_url = desk_url
        self.queue_names = queue_names
        self.on_edit = on_edit
        self.widget = widget
        self.secret = secret
        self.preview: ui.element | None = None
        with self:
            self.body = ui.column().classes('w-full gap-2')
        self.show(widget)

    def show(self, widget: WidgetRow) -> None:
        self.widget = widget
        self.body.clear()
        shown = snippets(self.desk_url, widget.public_key)
        modes = mode_names()
        with self.body:
            with ui.row().classes('w-full items-center gap-2'):
                ui.element('div').classes('w-4 h-4 rounded-full').style(f'background: {widget.accent}')
                ui.label(widget.name).classes('text-h6').props('role=heading aria-level=2')
                ui.space()
                ui.button(t('Edit'), icon='edit', on_click=lambda: self.on_edit(self)).props('flat')
                ui.button(t('Delete'), icon='delete', on_click=self.remove_widget).props('flat color=negative')
            facts = Facts()
            facts.line(t('Queue'), self.queue_names.get(widget.queue_id, '?'))
            facts.line(t('Websites'), ', '.join(widget.origins) or t('None yet: only the preview here shows it'))
            facts.line(t("Visitor's name"), modes.get(widget.name_field, widget.name_field))
            facts.line(t("Visitor's email"), modes.get(widget.email_field, widget.email_field))
            ui.label(t('Paste before </body> for a chat button:')).classes('text-body2 text-grey-7')
            ui.code(shown.script, language='html').classes('w-full').mark('snippet-script')
            ui.label(t('Or embed the chat itself, with no script:')).classes('text-body2 text-grey-7')
            ui.code(shown.iframe, language='html').classes('w-full').mark('snippet-iframe')
            with ui.expansion(t('Signed-in users of your site (optional)'), icon='verified_user') \
                    .classes('w-full').mark('identity'):
                self._identity(shown.identified_script, shown.identified_iframe)
            self.preview = None
            with ui.expansion(t('Preview'), icon='visibility', on_value_change=self._open_preview) \
                    .classes('w-full') as self.expansion:
                self.preview_slot = ui.column().classes('w-full')

    def _open_preview(self) -> None:
        """The frame is made when first opened: each preview is a chat page of its own (and a connection)."""
        if self.expansion.value and self.preview is None:
            with self.preview_slot:
                url = snippets(self.desk_url, self.widget.public_key).page_url
                self.preview = ui.element('iframe').props(f'src="{url}" title="{t("Preview")}"') \
                    .style('width: 380px; max-width: 100%; height: 520px; border: 1px solid rgba(128,128,128,.4); '
                           'border-radius: 12px').mark('preview')

    def _identity(self, script: str, iframe: str) -> None:
        """How the host site names its signed-in user: the secret, the attributes, and the HMAC in one line."""
        ui.label(t('Your site may tell the chat who its signed-in user is, so their conversations follow them to '
                   'every browser. Compute HASH on your server, never in the page:')).classes('text-body2')
        ui.code("hmac.new(SECRET.encode(), USER_ID.encode(), hashlib.sha256).hexdigest()", language='python') \
            .classes('w-full')
        with ui.row().classes('w-full items-center gap-2'):  # wraps on a phone: the secret is 43 characters
            ui.label(t('Secret')).classes('text-body2 text-grey-7')
            self.secret_code = ui.code(self.secret, language='text').classes('grow min-w-0') \
                .style('max-width: 100%').mark('secret')
            ui.button(t('Rotate secret'), icon='autorenew', on_click=self.rotate).props('flat').mark('rotate')
        ui.code(script, language='html').classes('w-full').mark('snippet-identified')
        ui.label(t('Or in the iframe, after "#" (URL-encode the values): a fragment never reaches a server, so the '
                   'email stays out of every log.')).classes('text-body2 text-grey-7')
        ui.code(iframe, language='html').classes('w-full')
        ui.label(t('A wrong or missing HASH is refused: the visitor then chats as a guest and is never joined to '
                   'that user.')).classes('text-body2 text-grey-7')

    async def rotate(self) -> None:
        """A new secret at once: identities the site signs with the old one are refused from now on."""
        try:
            secret = await self.tab.desk.widgets.regenerate_secret(actor_id=await self.tab.actor_id(),
                                                                   widget_id=self.widget.id)
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            return
        self.secret = secret
        self.secret_code.set_content(secret)
        ui.notify(t('New secret: update it on your site now; the old one is refused from now on.'), color='warning')

    async def remove_widget(self) -> None:
        with ui.dialog() as dialog, ui.card():
            ui.label(t('Delete widget "{name}"? Its snippet stops working; its conversations stay.',
                       name=self.widget.name))
            with ui.row().classes('w-full justify-end'):
                ui.button(t('Cancel'), on_click=dialog.close).props('flat')
                ui.button(t('Delete'), on_click=lambda: dialog.submit(True)).props('color=negative')
        confirmed = await dialog
        dialog.delete()
        if not confirmed:
            return
        try:
            await self.tab.desk.widgets.delete(actor_id=await self.tab.actor_id(), widget_id=self.widget.id)
        except DomainError as error:
            ui.notify(error_text(error), color='negative')
            return
        ui.notify(t('Widget "{name}" deleted.', name=self.widget.name))
        self.delete()
